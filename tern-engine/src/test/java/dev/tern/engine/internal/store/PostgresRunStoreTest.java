package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

/** The store contract on PostgreSQL: a fresh schema on the machine's server, shared by several nodes' stores. */
class PostgresRunStoreTest extends RunStoreContractTest {
    private final String schema = PostgresTestDatabase.newSchema();

    @Override
    RunStore open() {
        return StoreFactory.postgres(PostgresTestDatabase.url(schema));
    }

    @Override
    Connection database() throws java.sql.SQLException {
        return DriverManager.getConnection(PostgresTestDatabase.url(schema));
    }

    @Override
    RunStore node() {
        return StoreFactory.postgres(PostgresTestDatabase.url(schema));
    }

    /** Each writer lane renews only the runs it writes (its renewal must not lock another lane's rows). */
    @org.junit.jupiter.api.Test
    void eachWriterLaneRenewsOnlyTheRunsItWrites() throws Exception {
        List<String> ids = List.of("run_lane0", "run_lane1", "run_laneA", "run_laneB", "run_lanea", "run_laneb");
        for (String id : ids) create(store, id, "node-a");
        try (Connection c = DriverManager.getConnection(PostgresTestDatabase.url(schema))) {
            Tx tx = new Tx(c);
            RunClaims claims = new RunClaims(null, Dialect.POSTGRESQL);
            List<String> renewed = new ArrayList<>();
            for (int lane = 0; lane < 2; lane++) {
                List<String> mine = claims.renew(tx, "node-a", T0, LEASE, lane, 2).stream()
                        .map(OwnedRun::runId)
                        .toList();
                int expected = lane;
                assertThat(mine)
                        .hasSize(3)
                        .allSatisfy(
                                id -> assertThat(WriterLanes.lane(id, 2)).as(id).isEqualTo(expected));
                renewed.addAll(mine);
            }
            assertThat(renewed).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    /** Only an end that commits by itself answers with the run's row: one that changes others reads nothing back. */
    @Override
    boolean endReturnsTheRun(boolean changesOthers) {
        return !changesOthers;
    }

    @Override
    void dropDatabase() {
        PostgresTestDatabase.drop(schema);
    }
}

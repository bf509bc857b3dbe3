package dev.tern.bench;

import dev.tern.engine.EngineConfig;
import dev.tern.engine.Observability;
import dev.tern.engine.TernEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One or more engines in this JVM on the same fresh PostgreSQL schema, each with its own node id ({@code bench-a},
 * {@code bench-b}, ...) and the same limit of active runs. Closing stops them and drops the schema.
 */
final class PostgresSetup implements StoreSetup {
    private final PostgresDatabase database;
    private final String schema;
    private final List<TernEngine> engines;

    private PostgresSetup(PostgresDatabase database, String schema, List<TernEngine> engines) {
        this.database = database;
        this.schema = schema;
        this.engines = engines;
    }

    /** {@code observability}: where the engines' metrics and traces go ({@link Observability#none()}: nowhere). */
    static PostgresSetup open(PostgresDatabase database, int nodes, int maxActiveRuns, Observability observability) {
        String schema = PostgresDatabase.newSchema();
        List<TernEngine> engines = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                EngineConfig config = EngineConfig.postgres(database.engineUrl(schema))
                        .withNodeId(nodeId(i))
                        .withMaxActiveRuns(maxActiveRuns)
                        .withObservability(observability);
                engines.add(TernEngine.start(config, BenchWorkflows.definitions()));
            }
            return new PostgresSetup(database, schema, engines);
        } catch (RuntimeException e) {
            closeAll(engines);
            database.dropSchema(schema);
            throw e;
        }
    }

    static String nodeId(int index) {
        return "bench-" + (char) ('a' + index);
    }

    @Override
    public Nodes nodes() {
        return new Nodes(engines);
    }

    /** One query on the schema's attempts table: every execution attempt records the node that ran it. */
    @Override
    public Map<String, Long> attemptsPerNode() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = database.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT node_id, count(*) FROM " + schema + ".attempts GROUP BY node_id ORDER BY node_id")) {
            while (r.next()) counts.put(r.getString(1), r.getLong(2));
        } catch (SQLException e) {
            System.err.println("warning: could not count attempts per node in " + schema + ": " + e.getMessage());
            return Map.of();
        }
        return counts;
    }

    @Override
    public void close() {
        try {
            closeAll(engines);
        } finally {
            database.dropSchema(schema);
        }
    }

    private static void closeAll(List<TernEngine> engines) {
        RuntimeException first = null;
        for (TernEngine e : engines) {
            try {
                e.close();
            } catch (RuntimeException x) {
                if (first == null) first = x;
                else first.addSuppressed(x);
            }
        }
        if (first != null) throw first;
    }
}

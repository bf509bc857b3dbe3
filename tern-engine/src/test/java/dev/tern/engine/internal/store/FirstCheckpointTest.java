package dev.tern.engine.internal.store;

import dev.tern.engine.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** On PostgreSQL, a started run's creation and its first checkpoint in one batch are one statement. */
class FirstCheckpointTest extends FirstCheckpointContract {
    private final String schema = PostgresTestDatabase.newSchema();

    @BeforeEach
    void migrate() {
        store = StoreFactory.postgres(PostgresTestDatabase.url(schema));
    }

    @AfterEach
    void drop() throws Exception {
        store.close();
        PostgresTestDatabase.drop(schema);
    }

    @Override
    Connection connect() throws Exception {
        return DriverManager.getConnection(PostgresTestDatabase.url(schema));
    }

    @Override
    RunWrites runWrites() {
        return new PostgresRunWrites(RunAnnouncer.NONE);
    }

    @Override
    HistoryWrites historyWrites() {
        return new PostgresHistoryWrites();
    }

    @Override
    List<String> joinedThenAnother() {
        // run-a's creation with its checkpoint, then run-b's creation: two statements for three writes
        return List.of("update", "update", "commit");
    }

    @Override
    List<String> keptApart() {
        // the creation and the checkpoint each in a stretch of its own; the write between executes nothing
        return List.of("update", "update", "commit");
    }

    @Override
    List<String> joinedThenTheRunAgain() {
        // joined with the first; the second, the same run again, in a stretch of its own
        return List.of("update", "update", "commit");
    }
}

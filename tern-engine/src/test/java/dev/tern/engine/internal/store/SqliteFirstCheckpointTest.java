package dev.tern.engine.internal.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * On SQLite, a started run's creation and its first checkpoint in one batch are three statements (the run, every event,
 * the step) instead of six; the first attempt's row is not written ({@link LazyAttempts}).
 */
class SqliteFirstCheckpointTest extends FirstCheckpointContract {
    @TempDir
    Path dir;

    @BeforeEach
    void open() {
        store = StoreFactory.sqlite(dir, false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tern.db"));
    }

    @Override
    RunWrites runWrites() {
        return new SqliteRunWrites(new SqliteHistoryWrites());
    }

    @Override
    HistoryWrites historyWrites() {
        return new SqliteHistoryWrites();
    }

    private static final List<String> CREATION = List.of("update", "update"); // run, events
    private static final List<String> JOINED = List.of("update", "update", "update"); // and the step
    private static final List<String> CHECKPOINT = List.of("query", "update", "update"); // numbers, events, step

    @Override
    List<String> joinedThenAnother() {
        return concat(JOINED, CREATION, List.of("commit"));
    }

    @Override
    List<String> keptApart() {
        return concat(CREATION, CHECKPOINT, List.of("commit"));
    }

    @Override
    List<String> joinedThenTheRunAgain() {
        return concat(JOINED, CHECKPOINT, List.of("commit"));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }
}

package dev.tern.engine.internal.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite: a real database file in a temp directory, owned by this one process. */
class SqliteRunStoreTest extends RunStoreContractTest {
    @TempDir
    Path dir;

    @Override
    RunStore open() {
        return StoreFactory.sqlite(dir, false);
    }

    @Override
    java.sql.Connection database() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tern.db"));
    }

    @Override
    RunStore node() {
        return store;
    }

    @Override
    boolean endReturnsTheRun(boolean changesOthers) {
        return true;
    }
}

package dev.tern.bench;

import java.sql.Connection;
import java.sql.SQLException;

/** A connection to a fresh, empty database (a SQLite file or a PostgreSQL schema) that is deleted on close. */
interface ScratchDatabase extends AutoCloseable {
    /** Opens a fresh one. */
    @FunctionalInterface
    interface Opener {
        ScratchDatabase open() throws SQLException;
    }

    Connection connection();

    @Override
    void close();
}

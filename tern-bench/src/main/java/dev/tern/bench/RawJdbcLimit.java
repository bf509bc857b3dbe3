package dev.tern.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.HdrHistogram.Histogram;

/**
 * The "raw JDBC limit": how fast plain JDBC on one connection inserts step-sized rows into a fresh database of the
 * store under test (a SQLite file with the engine's durability setting, or a schema in the PostgreSQL database). With
 * one row per committed transaction it is the ceiling for unbatched checkpoints, and the spread of its commits' times
 * the floor under any one-step latency's tail; with several rows per commit it shows what batching alone buys.
 */
final class RawJdbcLimit {
    private static final String CREATE_TABLE = "CREATE TABLE steps (run_id TEXT NOT NULL, seq BIGINT NOT NULL, "
            + "name TEXT NOT NULL, output TEXT, completed_at BIGINT NOT NULL, PRIMARY KEY (run_id, seq))";
    private static final String INSERT =
            "INSERT INTO steps (run_id, seq, name, output, completed_at) VALUES (?, ?, ?, ?, ?)";

    private final ScratchDatabase.Opener databases;

    RawJdbcLimit(ScratchDatabase.Opener databases) {
        this.databases = databases;
    }

    /** Rows per second, and each commit's time in µs from its insert to its commit's return. */
    record Measured(double rowsPerSecond, Histogram commits) {}

    /** Inserts {@code warmupRows} untimed, then {@code rows} timed, committing every {@code rowsPerCommit}. */
    Measured rowsPerSecond(int rows, int rowsPerCommit, int warmupRows) throws SQLException {
        try (ScratchDatabase db = databases.open()) {
            Connection c = db.connection();
            try (Statement s = c.createStatement()) {
                s.execute(CREATE_TABLE);
            }
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert(c, insert, 0, warmupRows, rowsPerCommit, new Histogram(3));
                Histogram commits = new Histogram(3);
                long start = System.nanoTime();
                insert(c, insert, warmupRows, rows, rowsPerCommit, commits);
                return new Measured(rows / ((System.nanoTime() - start) / 1e9), commits);
            }
        }
    }

    private static void insert(
            Connection c, PreparedStatement insert, int first, int rows, int rowsPerCommit, Histogram commits)
            throws SQLException {
        long began = System.nanoTime();
        for (int i = 0; i < rows; i++) {
            int row = first + i;
            insert.setString(1, "run-" + row / ThroughputWorkload.STEPS);
            insert.setLong(2, row % ThroughputWorkload.STEPS);
            insert.setString(3, "step");
            insert.setString(4, "1");
            insert.setLong(5, System.currentTimeMillis());
            insert.executeUpdate();
            if ((i + 1) % rowsPerCommit == 0) {
                c.commit();
                long now = System.nanoTime();
                commits.recordValue(Math.max(1, (now - began) / 1_000));
                began = now;
            }
        }
        c.commit();
    }
}

package dev.tern.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The "raw JDBC limit": how fast plain JDBC inserts step-sized rows into a fresh SQLite file in
 * WAL mode with the engine's synchronous setting (FULL with fsync, else NORMAL). With one row per
 * committed transaction it is the ceiling for unbatched checkpoints; with several rows per
 * commit it shows what batching alone buys.
 */
final class RawJdbcLimit {
  private final Path parent;
  private final boolean fsync;

  RawJdbcLimit(Path parent, boolean fsync) {
    this.parent = parent;
    this.fsync = fsync;
  }

  /** Inserts {@code warmupRows} untimed, then {@code rows} timed, committing every {@code rowsPerCommit}; returns rows/s. */
  double rowsPerSecond(int rows, int rowsPerCommit, int warmupRows) throws SQLException {
    try (ScratchDir dir = ScratchDir.create(parent, "tern-bench-jdbc-"); Connection c = open(dir.path().resolve("limit.db"))) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE steps (run_id TEXT NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL, output TEXT, "
            + "completed_at TEXT NOT NULL, PRIMARY KEY (run_id, seq))");
      }
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO steps (run_id, seq, name, output, completed_at) VALUES (?, ?, ?, ?, ?)")) {
        insert(c, insert, 0, warmupRows, rowsPerCommit);
        long start = System.nanoTime();
        insert(c, insert, warmupRows, rows, rowsPerCommit);
        return rows / ((System.nanoTime() - start) / 1e9);
      }
    }
  }

  private static void insert(Connection c, PreparedStatement insert, int first, int rows, int rowsPerCommit) throws SQLException {
    for (int i = 0; i < rows; i++) {
      int row = first + i;
      insert.setString(1, "run-" + row / BenchWorkflows.STEPS_PER_WORKFLOW);
      insert.setInt(2, row % BenchWorkflows.STEPS_PER_WORKFLOW);
      insert.setString(3, "step");
      insert.setString(4, "1");
      insert.setString(5, Instant.now().toString());
      insert.executeUpdate();
      if ((i + 1) % rowsPerCommit == 0) c.commit();
    }
    c.commit();
  }

  private Connection open(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(fsync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    SQLiteDataSource source = new SQLiteDataSource(config);
    source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return source.getConnection();
  }
}

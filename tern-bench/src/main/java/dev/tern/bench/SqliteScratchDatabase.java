package dev.tern.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** A fresh SQLite file in WAL mode with the engine's synchronous setting (FULL with fsync, else NORMAL). */
final class SqliteScratchDatabase implements ScratchDatabase {
    private final ScratchDir dir;
    private final Connection connection;

    private SqliteScratchDatabase(ScratchDir dir, Connection connection) {
        this.dir = dir;
        this.connection = connection;
    }

    static SqliteScratchDatabase open(Path parent, boolean fsync) throws SQLException {
        ScratchDir dir = ScratchDir.create(parent, "tern-bench-jdbc-");
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(fsync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
            SQLiteDataSource source = new SQLiteDataSource(config);
            source.setUrl("jdbc:sqlite:" + dir.path().resolve("limit.db").toAbsolutePath());
            return new SqliteScratchDatabase(dir, source.getConnection());
        } catch (SQLException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            System.err.println("warning: closing " + dir.path() + ": " + e.getMessage());
        } finally {
            dir.close();
        }
    }
}

package dev.tern.bench;

import dev.tern.engine.EngineConfig;
import dev.tern.engine.Observability;
import dev.tern.engine.TernEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * A Tern engine on a fresh store for the scale workload, with a plain JDBC connection beside it that fills the store
 * with finished runs fast: copies of one real finished run (every row it left in {@code runs}, {@code history},
 * {@code steps} and {@code attempts}, whatever their columns), under new ids and creation times, inserted many rows per
 * statement. Closing stops the engine and deletes the store.
 */
abstract sealed class ScaleStore implements AutoCloseable {
    /** The tables a finished run has rows in, and the column naming the run in each. */
    private static final Map<String, String> RUN_TABLES =
            Map.of("runs", "id", "history", "run_id", "steps", "run_id", "attempts", "run_id");

    private static final int ROWS_PER_STATEMENT = 100;
    private static final int RUNS_PER_TRANSACTION = 5_000;

    /** Threads the copies are spread over: each holds (runs in the store) / {@value} of them, a full page or more. */
    static final int THREADS = 50;

    private final java.util.function.Supplier<TernEngine> starter;
    private TernEngine engine;
    final Connection sql;

    private ScaleStore(java.util.function.Supplier<TernEngine> starter, Connection sql) {
        this.starter = starter;
        this.engine = starter.get();
        this.sql = sql;
    }

    TernEngine engine() {
        return engine;
    }

    abstract String label();

    /** Bytes the store takes on disk now, indexes included. */
    abstract long bytesOnDisk() throws SQLException;

    /**
     * What the database's own maintenance does soon after a bulk load, if it does any: on PostgreSQL, autovacuum's
     * vacuum of tables that took many inserts and its analyze.
     */
    abstract void afterBulkLoad() throws SQLException;

    /**
     * How many reads of random runs bring a new engine's connections to their steady state (see {@link ScaleWorkload}):
     * none where the database holds no per-connection mapping of a shared cache.
     */
    int connectionWarmUpReads() throws SQLException {
        return 0;
    }

    static ScaleStore sqlite(Path parent) throws SQLException {
        ScratchDir dir = ScratchDir.create(parent, "tern-bench-scale-");
        try {
            EngineConfig engine = EngineConfig.embedded(dir.path())
                    .withMaxActiveRuns(Contenders.MAX_ACTIVE_RUNS)
                    .withObservability(Observability.none());
            // like the engine's writer: a write transaction takes the lock when it begins, waiting while another holds
            // it (one that began as a reader and then wrote would fail at once if the engine wrote in between)
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(30_000);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            Connection c = config.createConnection(
                    "jdbc:sqlite:" + dir.path().resolve("tern.db").toAbsolutePath());
            return new Sqlite(() -> TernEngine.start(engine, BenchWorkflows.definitions()), c, dir);
        } catch (SQLException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    static ScaleStore postgres(PostgresDatabase database) throws SQLException {
        String schema = PostgresDatabase.newSchema();
        try {
            EngineConfig engine = EngineConfig.postgres(database.engineUrl(schema))
                    .withMaxActiveRuns(Contenders.MAX_ACTIVE_RUNS)
                    .withObservability(Observability.none());
            Connection c = database.connect();
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + schema);
            }
            return new Postgres(() -> TernEngine.start(engine, BenchWorkflows.definitions()), c, database, schema);
        } catch (SQLException | RuntimeException e) {
            database.dropSchema(schema);
            throw e;
        }
    }

    /** The rows one finished run left, per table: column names and values. */
    record Template(Map<String, Rows> tables) {}

    record Rows(List<String> columns, List<Object[]> values) {}

    /** Reads every row of {@code runId} in the run tables. */
    Template template(String runId) throws SQLException {
        Map<String, Rows> tables = new java.util.LinkedHashMap<>();
        for (String table : List.of("runs", "history", "steps", "attempts")) {
            try (PreparedStatement ps =
                    sql.prepareStatement("SELECT * FROM " + table + " WHERE " + RUN_TABLES.get(table) + " = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++)
                        columns.add(md.getColumnName(i).toLowerCase());
                    List<Object[]> values = new ArrayList<>();
                    while (rs.next()) {
                        Object[] row = new Object[columns.size()];
                        for (int i = 0; i < row.length; i++) row[i] = rs.getObject(i + 1);
                        values.add(row);
                    }
                    tables.put(table, new Rows(columns, values));
                }
            }
        }
        return new Template(tables);
    }

    /**
     * Inserts copies {@code from} (inclusive) to {@code to} (exclusive) of the template run: ids {@link #runId},
     * created at {@code newestMillis - N * spacingMillis}, in thread {@code thread-(N % THREADS)}.
     */
    void copy(Template template, int from, int to, long newestMillis, long spacingMillis) throws SQLException {
        if (from == 0) {
            this.newestMillis = newestMillis;
            this.spacingMillis = spacingMillis;
        } else if (newestMillis != this.newestMillis || spacingMillis != this.spacingMillis) {
            throw new IllegalArgumentException("every fill of one store counts back from the same newest time");
        }
        engine.close();
        boolean autoCommit = sql.getAutoCommit();
        sql.setAutoCommit(false);
        try {
            for (int start = from; start < to; start += RUNS_PER_TRANSACTION) {
                int end = Math.min(to, start + RUNS_PER_TRANSACTION);
                for (Map.Entry<String, Rows> t : template.tables().entrySet()) {
                    insertCopies(t.getKey(), t.getValue(), start, end);
                }
                sql.commit();
            }
        } finally {
            sql.setAutoCommit(autoCommit);
            engine = starter.get();
        }
    }

    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private long newestMillis;
    private long spacingMillis;

    /**
     * The id of copy {@code n}: shaped like the engine's ids ({@code run_}, its creation time in 8 base62 digits, then
     * 14 more), so the primary key grows in creation order as it does with real runs.
     */
    String runId(int n) {
        long t = newestMillis - n * spacingMillis;
        char[] id = new char[26];
        "run_".getChars(0, 4, id, 0);
        for (int i = 11; i >= 4; i--, t /= 62) id[i] = BASE62[(int) (t % 62)];
        long rest = n;
        for (int i = 25; i >= 12; i--, rest /= 62) id[i] = BASE62[(int) (rest % 62)];
        return new String(id);
    }

    private void insertCopies(String table, Rows rows, int from, int to) throws SQLException {
        if (rows.values().isEmpty()) return;
        int cols = rows.columns().size();
        int perRun = rows.values().size();
        int runsPerStatement = Math.max(1, ROWS_PER_STATEMENT / perRun);
        String idColumn = RUN_TABLES.get(table);
        int idAt = rows.columns().indexOf(idColumn);
        int createdAt = table.equals("runs") ? rows.columns().indexOf("created_at") : -1;
        int threadAt = table.equals("runs") ? rows.columns().indexOf("thread_id") : -1;
        for (int n = from; n < to; n += runsPerStatement) {
            int runs = Math.min(runsPerStatement, to - n);
            try (PreparedStatement ps = sql.prepareStatement(insert(table, rows.columns(), runs * perRun))) {
                int p = 1;
                for (int r = n; r < n + runs; r++) {
                    for (Object[] row : rows.values()) {
                        for (int c = 0; c < cols; c++) {
                            Object v = row[c];
                            if (c == idAt) v = runId(r);
                            else if (c == createdAt) v = this.newestMillis - (long) r * this.spacingMillis;
                            else if (c == threadAt) v = "thread-" + (r % THREADS);
                            ps.setObject(p++, v);
                        }
                    }
                }
                ps.executeUpdate();
            }
        }
    }

    private static String insert(String table, List<String> columns, int rows) {
        String one = "(" + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, one));
    }

    @Override
    public void close() {
        try {
            sql.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
        engine.close();
    }

    static final class Sqlite extends ScaleStore {
        private final ScratchDir dir;

        Sqlite(java.util.function.Supplier<TernEngine> engine, Connection sql, ScratchDir dir) {
            super(engine, sql);
            this.dir = dir;
        }

        @Override
        String label() {
            return "SQLite";
        }

        /**
         * The database's pages in use, as the newest committed state sees them: in WAL mode {@code page_count} counts
         * pages still only in the log, so no checkpoint is needed (one cannot empty the log while the engine's own
         * connections hold it, and the files' sizes would count the log's 8,000 pages kept between checkpoints).
         */
        @Override
        long bytesOnDisk() throws SQLException {
            return (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
        }

        private long pragma(String name) throws SQLException {
            try (Statement s = sql.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA " + name)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        @Override
        void afterBulkLoad() {
            // Tern does not run ANALYZE on SQLite; its planner picks the indexes without statistics
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                dir.close();
            }
        }
    }

    static final class Postgres extends ScaleStore {
        private final PostgresDatabase database;
        private final String schema;

        Postgres(
                java.util.function.Supplier<TernEngine> engine,
                Connection sql,
                PostgresDatabase database,
                String schema) {
            super(engine, sql);
            this.database = database;
            this.schema = schema;
        }

        @Override
        String label() {
            return "PostgreSQL";
        }

        @Override
        long bytesOnDisk() throws SQLException {
            try (PreparedStatement ps = sql.prepareStatement(
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n "
                            + "ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'r'")) {
                ps.setString(1, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        /**
         * {@code VACUUM (ANALYZE)}, as autovacuum (on by default) does to a table that took this many inserts (since
         * PostgreSQL 13 inserts alone trigger its vacuum): without the vacuum, a read of a copied run was the first to
         * find its rows committed and set their hint bits, which dirties the page, and reads of a store larger than the
         * buffer pool evict such pages by writing them out. Measured on this kind of machine, a read by primary key of
         * one of a million rows of 1.1 KiB took 155 µs at p50 after an analyze alone and 121 after a vacuum (72 and 77
         * at ten thousand rows); the 2026-12-06 fortieth session's run had a read of a run grow 2.11x on analyze alone.
         * Runs on the connection's own (autocommit) transaction, as {@code VACUUM} must.
         */
        @Override
        void afterBulkLoad() throws SQLException {
            try (Statement s = sql.createStatement()) {
                s.execute("VACUUM (ANALYZE) runs, history, steps, attempts");
            }
        }

        /** Twice the shared buffer pool's pages: enough reads of uncached runs to pass every buffer at least once. */
        @Override
        int connectionWarmUpReads() throws SQLException {
            try (Statement s = sql.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT setting::bigint * 2 FROM pg_settings WHERE name = 'shared_buffers'")) {
                rs.next();
                return (int) Math.min(200_000, rs.getLong(1));
            }
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                database.dropSchema(schema);
            }
        }
    }
}

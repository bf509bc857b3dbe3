package dev.tern.engine.internal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Opens a store: the embedded SQLite file under a data directory, or a PostgreSQL database by JDBC URL. */
public final class StoreFactory {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StoreFactory.class);
    private static final int MAX_BATCH = 1024;
    /**
     * Writer connections on PostgreSQL, each writing its share of the runs ({@link WriterLanes}): with one, its server
     * process was the limit of workload 1; a second lets one lane's statements run during the other's commit (+25% in
     * alternating A/B rounds on two cores, where a third was slower than two). SQLite has one writer.
     */
    private static final int POSTGRES_LANES = 2;

    private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([A-Za-z0-9_]+)");

    private StoreFactory() {}

    /** SQLite in WAL mode at {@code dataDir/tern.db}; a lock file keeps a second process off the same directory. */
    public static RunStore sqlite(Path dataDir, boolean fsyncEachCommit) {
        try {
            Files.createDirectories(dataDir);
            FileChannel lockChannel =
                    FileChannel.open(dataDir.resolve("tern.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = lockChannel.tryLock();
            if (lock == null) {
                lockChannel.close();
                throw new IllegalStateException(
                        "data directory " + dataDir.toAbsolutePath() + " is in use by another Tern process");
            }
            Path file = dataDir.resolve("tern.db").toAbsolutePath();
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(
                    fsyncEachCommit ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(30_000);
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            // the store never asks for generated keys (it uses RETURNING); left on, the driver runs a regex over every
            // INSERT and then SELECT last_insert_rowid(): 5-8% of the writer thread's time in a profile
            config.setGetGeneratedKeys(false);
            // the driver lets one thread at a time into a connection (its native calls are synchronized), so
            // SQLite's own per-connection mutex only costs a lock and unlock per call (design notes)
            config.setOpenMode(org.sqlite.SQLiteOpenMode.NOMUTEX);
            SQLiteDataSource sqlite = new SQLiteDataSource(config);
            sqlite.setUrl("jdbc:sqlite:" + file);
            migrate(sqlite, Dialect.SQLITE, null);
            HikariDataSource readers = sqliteReaders(sqlite);
            GroupCommitWriter writer = new GroupCommitWriter(
                    () -> writerConnection(sqlite),
                    MAX_BATCH,
                    "tern-sqlite-writer",
                    GroupCommitWriter.Leaders.ANY_THREAD,
                    true);
            AutoCloseable resources = () -> {
                readers.close();
                lock.release();
                lockChannel.close();
            };
            SqliteHistoryWrites history = new SqliteHistoryWrites();
            StoreWrites writes = new StoreWrites(Dialect.SQLITE, new SqliteRunWrites(history), history);
            return new JdbcRunStore(
                    writes,
                    WriterLanes.one(writer),
                    new RunReader(readers),
                    resources,
                    "sqlite " + file,
                    null,
                    TokenRelay.NONE,
                    RunAnnouncer.NONE);
        } catch (IOException e) {
            throw new StoreException("cannot open data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** SQLite's readers: eight pooled connections that keep their prepared statements ({@link KeptStatements}). */
    static HikariDataSource sqliteReaders(SQLiteDataSource sqlite) {
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(KeptStatements.around(sqlite));
        pool.setPoolName("tern-sqlite-read");
        pool.setMaximumPoolSize(8);
        return new HikariDataSource(pool);
    }

    /**
     * How many pages the write-ahead log holds before a commit copies them into the database file (SQLite's
     * {@code wal_autocheckpoint}; its default is 1,000). The commit that crosses it runs the checkpoint on the writer,
     * and a checkpoint copies each page the log holds once, however often the commits since the last one rewrote it:
     * the pages a busy store rewrites most (the last leaves of the history, steps and runs, where running runs' rows
     * are) are copied once per 8,000 pages instead of once per 1,000. Workload 1 on SQLite, {@code bench/ab} (two
     * builds taking turns in one process): +5.5% workflows/s (median of ten rounds, ahead in nine). The log file grows
     * to about 32 MB and stays there; reopening after a crash reads it whole (tens of milliseconds).
     */
    static final int WAL_PAGES_BEFORE_CHECKPOINT = 8_000;

    /** The writer's connection: the only one that commits, so the only one that checkpoints. */
    private static java.sql.Connection writerConnection(SQLiteDataSource sqlite) throws SQLException {
        java.sql.Connection c = sqlite.getConnection();
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint = " + WAL_PAGES_BEFORE_CHECKPOINT);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * {@link #sqlite}, with the runs the previous process was executing when it died made claimable again. A full disk
     * that keeps the store from opening after a crash is explained in numbers.
     */
    public static RunStore recoveredSqlite(Path dataDir, boolean fsyncEachCommit) {
        RunStore store = null;
        try {
            store = sqlite(dataDir, fsyncEachCommit);
            int orphans = Futures.await(store.recoverOrphans(java.time.Instant.now()));
            if (orphans > 0) log.info("resuming {} run(s) interrupted by the previous shutdown", orphans);
            return store;
        } catch (RuntimeException e) {
            if (store != null) store.close();
            throw explainedStartFailure(dataDir, e);
        }
    }

    /**
     * What to throw when starting on the SQLite store in {@code dataDir} failed with {@code e}: a full disk explained
     * in numbers (how much to free), anything else as it is.
     */
    public static RuntimeException explainedStartFailure(Path dataDir, RuntimeException e) {
        return StoreException.isDiskFull(e) ? new IllegalStateException(DiskSpace.explainStartup(dataDir), e) : e;
    }

    /**
     * Refuses, before anything is opened, a PostgreSQL URL whose {@code currentSchema} Tern cannot use (an
     * {@link IllegalArgumentException} naming it).
     */
    public static void checkPostgresUrl(String jdbcUrl) {
        String named = namedSchema(jdbcUrl);
        if (named != null) PostgresChannel.checkSchemaFits(named);
    }

    private static String namedSchema(String jdbcUrl) {
        Matcher schema = CURRENT_SCHEMA.matcher(jdbcUrl);
        return schema.find() ? schema.group(1) : null;
    }

    /** PostgreSQL at {@code jdbcUrl}; a {@code currentSchema} parameter selects (and creates) the schema. */
    public static RunStore postgres(String jdbcUrl) {
        checkPostgresUrl(jdbcUrl);
        String named = namedSchema(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("tern-pg");
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(3_000);
        // Readers plan each execution for its parameters (their filters vary, and planning a read costs little). The
        // writer's statements, a few dozen fixed ones, keep PostgreSQL's cached plans: planning a data-modifying CTE
        // each time cost more than executing it. Their filters are written so a cached plan cannot pick a wrong index
        // (see RunsSql, V6__hot_path.sql).
        config.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
        HikariDataSource pool = new HikariDataSource(config);
        // Reads of one run's rows by its id (the run for a lone waiter or a GET, its steps for a replay, its history,
        // attempts and interactions for the API) keep PostgreSQL's default plan cache: their generic plan, the key's
        // index, is as good as any, and planning each time (runs has some fifteen indexes to consider) cost more than
        // executing them (RunReader#byRun)
        HikariConfig byIdConfig = new HikariConfig();
        byIdConfig.setJdbcUrl(jdbcUrl);
        byIdConfig.setPoolName("tern-pg-by-id");
        byIdConfig.setMaximumPoolSize(4);
        byIdConfig.setMinimumIdle(1);
        byIdConfig.setConnectionTimeout(3_000);
        migrate(pool, Dialect.POSTGRESQL, named);
        try {
            PostgresChannel.checkSchemaFits(pool);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e instanceof RuntimeException r ? r : new StoreException("could not read the store's schema", e);
        }
        HikariDataSource byId = new HikariDataSource(byIdConfig);
        List<GroupCommitWriter> lanes = new ArrayList<>();
        WriterBackends backends = new WriterBackends(POSTGRES_LANES);
        for (int i = 0; i < POSTGRES_LANES; i++) {
            int lane = i;
            lanes.add(new GroupCommitWriter(
                    () -> backends.track(lane, java.sql.DriverManager.getConnection(jdbcUrl)),
                    MAX_BATCH,
                    i == 0 ? "tern-pg-writer" : "tern-pg-writer-" + (i + 1),
                    GroupCommitWriter.Leaders.PLATFORM_THREADS,
                    false));
        }
        WriterLanes writer = new WriterLanes(lanes);
        RunAnnouncer announcer = new PostgresRunAnnouncer(pool);
        StoreWrites writes =
                new StoreWrites(Dialect.POSTGRESQL, new PostgresRunWrites(announcer), new PostgresHistoryWrites());
        writer.announceWith(announcer);
        return new JdbcRunStore(
                writes,
                writer,
                new RunReader(pool, byId),
                () -> {
                    byId.close();
                    pool.close();
                },
                "postgresql " + redact(jdbcUrl),
                handler -> new PostgresListener(jdbcUrl, handler, announcer, backends),
                new PostgresTokenRelay(jdbcUrl),
                announcer);
    }

    private static void migrate(DataSource dataSource, Dialect dialect, String schema) {
        if (AppliedMigrations.upToDate(dataSource, dialect, schema)) return;
        var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:" + dialect.migrations());
        if (schema != null) flyway.schemas(schema).createSchemas(true);
        flyway.load().migrate();
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}

package dev.tern.bench;

import dev.tern.engine.EngineConfig;
import dev.tern.engine.Observability;
import dev.tern.engine.TernEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A store for the recovery workload that both the killed child JVM and this process open: how to start the system on it
 * (in either), and how many of its runs have completed (asked with SQL, so it works while the system is down). Closing
 * deletes the store.
 */
abstract sealed class RecoveryTarget implements AutoCloseable {
    static final String NODE_ID = "bench-recovery";

    /** The arguments of {@link RecoveryChild} that open the same store. */
    abstract List<String> childArgs();

    /** The system started on the store. */
    interface Running extends AutoCloseable {
        /** Starts recovery-workload run number {@code index} and returns without waiting for it. */
        void startRun(int index);

        /** Stops the system (its store stays). */
        @Override
        void close();
    }

    /** Starts the system on the store, which recovers the interrupted runs. */
    abstract Running start();

    abstract int completed() throws SQLException;

    @Override
    public abstract void close();

    static RecoveryTarget create(SystemKind kind, Contenders contenders, Path dataDir) {
        return switch (kind) {
            case TERN_SQLITE -> new TernSqlite(ScratchDir.create(dataDir, "tern-bench-recovery-"));
            case TERN_PG -> new TernPostgres(contenders.postgres(), PostgresDatabase.newSchema());
            case DBOS -> new Dbos(contenders.postgres(), PostgresDatabase.newSchema());
            default -> throw new IllegalArgumentException("no recovery workload for " + kind);
        };
    }

    /** The same store, from the child's arguments. */
    static RecoveryTarget fromChildArgs(String[] args) {
        return switch (args[0]) {
            case "tern-sqlite" -> new TernSqlite(Path.of(args[1]));
            case "tern-pg" -> new TernPostgres(new PostgresDatabase(args[1]), args[2]);
            case "dbos" -> new Dbos(new PostgresDatabase(args[1]), args[2]);
            default -> throw new IllegalArgumentException("unknown recovery target " + args[0]);
        };
    }

    static int count(Connection c, String sql) throws SQLException {
        try (c;
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }

    abstract static sealed class Tern extends RecoveryTarget {
        abstract EngineConfig config();

        @Override
        Running start() {
            TernEngine engine = TernEngine.start(
                    config().withNodeId(NODE_ID)
                            .withMaxActiveRuns(Contenders.MAX_ACTIVE_RUNS)
                            .withObservability(Observability.none()),
                    BenchWorkflows.definitions());
            return new Running() {
                @Override
                public void startRun(int index) {
                    engine.start(BenchWorkflows.WORK, new BenchWorkflows.In(index, BenchWorkflows.WORK_STEPS));
                }

                @Override
                public void close() {
                    engine.close();
                }
            };
        }
    }

    static final class TernSqlite extends Tern {
        private final ScratchDir dir;
        private final Path path;

        TernSqlite(ScratchDir dir) {
            this.dir = dir;
            this.path = dir.path();
        }

        TernSqlite(Path path) {
            this.dir = null;
            this.path = path;
        }

        @Override
        EngineConfig config() {
            return EngineConfig.embedded(path);
        }

        @Override
        List<String> childArgs() {
            return List.of("tern-sqlite", path.toString());
        }

        @Override
        int completed() throws SQLException {
            return count(
                    DriverManager.getConnection("jdbc:sqlite:" + path.resolve("tern.db")),
                    "SELECT count(*) FROM runs WHERE status = 'completed'");
        }

        @Override
        public void close() {
            if (dir != null) dir.close();
        }
    }

    static final class TernPostgres extends Tern {
        private final PostgresDatabase database;
        private final String schema;

        TernPostgres(PostgresDatabase database, String schema) {
            this.database = database;
            this.schema = schema;
        }

        @Override
        EngineConfig config() {
            return EngineConfig.postgres(database.engineUrl(schema));
        }

        @Override
        List<String> childArgs() {
            return List.of("tern-pg", database.baseUrl(), schema);
        }

        @Override
        int completed() throws SQLException {
            return count(database.connect(), "SELECT count(*) FROM " + schema + ".runs WHERE status = 'completed'");
        }

        @Override
        public void close() {
            database.dropSchema(schema);
        }
    }

    static final class Dbos extends RecoveryTarget {
        private final PostgresDatabase database;
        private final String schema;

        Dbos(PostgresDatabase database, String schema) {
            this.database = database;
            this.schema = schema;
        }

        @Override
        List<String> childArgs() {
            return List.of("dbos", database.baseUrl(), schema);
        }

        @Override
        Running start() {
            DbosContender dbos = DbosContender.open(database, schema);
            return new Running() {
                @Override
                public void startRun(int index) {
                    dbos.startWork(index);
                }

                @Override
                public void close() {
                    dbos.shutdown();
                }
            };
        }

        @Override
        int completed() throws SQLException {
            return count(
                    database.connect(), "SELECT count(*) FROM " + schema + ".workflow_status WHERE status = 'SUCCESS'");
        }

        @Override
        public void close() {
            database.dropSchema(schema);
        }
    }
}

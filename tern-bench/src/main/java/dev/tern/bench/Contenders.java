package dev.tern.bench;

import dev.tern.engine.Observability;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Opens a fresh contender of a system kind: its own SQLite directory, PostgreSQL schema or in-memory server. Plain Tern
 * runs with {@link Observability#none()}; an observed variant with its own {@link ObservedTelemetry}, whose summary
 * becomes a note when it closes.
 */
final class Contenders {
    static final int MAX_ACTIVE_RUNS = 10_000;

    private final BenchOptions options;
    private final PostgresDatabase postgres;
    private final List<String> notes;
    /** Looked up once, when a PostgreSQL system first needs it (empty: the server is not on this machine). */
    private Optional<ServerCpu> serverCpu;

    /** {@code postgres} may be null when no pg system runs; {@code notes} gets the observed variants' summaries. */
    Contenders(BenchOptions options, PostgresDatabase postgres, List<String> notes) {
        this.options = options;
        this.postgres = postgres;
        this.notes = notes;
    }

    Contender open(SystemKind kind) {
        return switch (kind) {
            case TERN_SQLITE -> new TernContender(sqlite(Observability.none()));
            case TERN_PG -> new TernContender(postgres(Observability.none()));
            case TERN_SQLITE_OBSERVED -> new TernContender(ObservedSetup.open(this::sqlite, report(kind)));
            case TERN_PG_OBSERVED -> new TernContender(ObservedSetup.open(this::postgres, report(kind)));
            case TERN_PG_REST, TERN_PG_REST_WAIT -> {
                TernContender engine = new TernContender(postgres(Observability.none()));
                try {
                    yield new TernRestContender(engine, kind == SystemKind.TERN_PG_REST_WAIT);
                } catch (RuntimeException e) {
                    engine.close();
                    throw e;
                }
            }
            case DBOS -> DbosContender.open(postgres());
            case TEMPORAL -> new TemporalContender();
        };
    }

    private StoreSetup sqlite(Observability observability) {
        return SqliteSetup.open(options.dataDir(), true, MAX_ACTIVE_RUNS, observability);
    }

    private StoreSetup postgres(Observability observability) {
        return PostgresSetup.open(postgres(), 1, MAX_ACTIVE_RUNS, observability);
    }

    private Consumer<String> report(SystemKind kind) {
        return summary -> notes.add(kind.label() + ": " + summary);
    }

    PostgresDatabase postgres() {
        return Objects.requireNonNull(postgres, "no PostgreSQL database configured");
    }

    /** The PostgreSQL server's CPU, when it runs on this machine ({@link ServerCpu#local}); null otherwise. */
    ServerCpu serverCpu() {
        if (postgres == null) return null;
        if (serverCpu == null) serverCpu = Optional.ofNullable(ServerCpu.local(postgres.baseUrl()));
        return serverCpu.orElse(null);
    }
}

package dev.tern.bench;

import dev.tern.engine.EngineConfig;
import dev.tern.engine.Observability;
import dev.tern.engine.TernEngine;
import java.nio.file.Path;
import java.util.List;

/** One embedded engine on a fresh SQLite data directory, closed and deleted together. */
final class SqliteSetup implements StoreSetup {
    private final ScratchDir dir;
    private final TernEngine engine;

    private SqliteSetup(ScratchDir dir, TernEngine engine) {
        this.dir = dir;
        this.engine = engine;
    }

    /** {@code observability}: where the engine's metrics and traces go ({@link Observability#none()}: nowhere). */
    static SqliteSetup open(Path parent, boolean fsync, int maxActiveRuns, Observability observability) {
        ScratchDir dir = ScratchDir.create(parent, "tern-bench-engine-");
        try {
            EngineConfig config = EngineConfig.embedded(dir.path())
                    .withFsync(fsync)
                    .withMaxActiveRuns(maxActiveRuns)
                    .withObservability(observability);
            return new SqliteSetup(dir, TernEngine.start(config, BenchWorkflows.definitions()));
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    @Override
    public Nodes nodes() {
        return new Nodes(List.of(engine));
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            dir.close();
        }
    }
}

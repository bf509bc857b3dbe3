package dev.tern.bench;

import dev.tern.engine.EngineConfig;
import dev.tern.engine.TernEngine;
import java.nio.file.Path;

/** An embedded engine on a fresh SQLite data directory, closed and deleted together. */
final class BenchEngine implements AutoCloseable {
  private final ScratchDir dir;
  private final TernEngine engine;

  private BenchEngine(ScratchDir dir, TernEngine engine) {
    this.dir = dir;
    this.engine = engine;
  }

  static BenchEngine open(Path parent, boolean fsync) {
    ScratchDir dir = ScratchDir.create(parent, "tern-bench-engine-");
    try {
      EngineConfig config = EngineConfig.embedded(dir.path()).withFsync(fsync);
      return new BenchEngine(dir, TernEngine.start(config, BenchWorkflows.definitions()));
    } catch (RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  TernEngine engine() {
    return engine;
  }

  /** Store writes committed and transactions used so far. */
  long[] writeCounters() {
    return engine.storeWriteCounters();
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

package dev.tern.engine;

import dev.tern.sdk.Definitions;
import java.nio.file.Path;
import java.time.Duration;

/** Starts engines on a SQLite file in a test's temp dir, closing (crashing) and restarting them on the same file. */
final class EngineFixture implements AutoCloseable {
  private final Path dataDir;
  private TernEngine engine;

  EngineFixture(Path dataDir) {
    this.dataDir = dataDir;
  }

  static EngineConfig config(Path dataDir) {
    return EngineConfig.embedded(dataDir)
        .withSuspendGrace(Duration.ofMillis(200))
        .withPollInterval(Duration.ofMillis(100))
        .withFsync(false);
  }

  TernEngine start(Definitions definitions) {
    return start(definitions, config(dataDir));
  }

  TernEngine start(Definitions definitions, EngineConfig config) {
    if (engine != null) engine.close();
    engine = TernEngine.start(config, definitions);
    return engine;
  }

  /** Stops the engine mid-flight: executions unwind without writing, as if the process died. */
  void crash() {
    engine.close();
    engine = null;
  }

  @Override
  public void close() {
    if (engine != null) engine.close();
  }
}

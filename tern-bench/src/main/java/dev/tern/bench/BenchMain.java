package dev.tern.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bench command line: runs the workloads on the embedded store for each fsync setting and
 * prints the machine, the settings and the result table to stdout (progress goes to stderr).
 * Exits 1 if any workflow did not complete, 2 on a bad command line.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (BenchOptions.UsageException e) {
      if (!e.getMessage().isEmpty()) System.err.println("error: " + e.getMessage());
      System.err.print(BenchOptions.USAGE);
      return e.getMessage().isEmpty() ? 0 : 2;
    }
    quietLogging();
    printEnvironment(options);
    ResultTable table = new ResultTable();
    try {
      for (boolean fsync : options.fsyncModes()) new StoreSuite(options, fsync).run(table);
    } catch (Exception e) {
      if (!table.isEmpty()) {
        System.out.println();
        table.print(System.out);
      }
      System.err.println();
      System.err.println("error: " + e.getMessage());
      if (!(e instanceof IllegalStateException)) e.printStackTrace(System.err);
      return 1;
    }
    System.out.println();
    table.print(System.out);
    System.out.println();
    System.out.println("steps/s = 3 x workflows/s (throughput) or rows/s (raw JDBC); p50/p90/p99 = schedule to completion;");
    System.out.println("batch size = store writes per transaction (group commit); Tern/limit = Tern throughput steps/s / that row's rows/s.");
    return 0;
  }

  /** slf4j-simple logs INFO (e.g. every Flyway migration) to stderr; keep only warnings unless asked otherwise. */
  private static void quietLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
  }

  private static void printEnvironment(BenchOptions o) {
    Path data = o.dataDir() != null ? o.dataDir() : Path.of(System.getProperty("java.io.tmpdir"));
    System.out.println("Tern bench: embedded SQLite store, workflows of 3 no-op steps");
    System.out.printf("cores: %d | java: %s (%s %s) | os: %s %s %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), System.getProperty("java.vm.vendor"), System.getProperty("java.vm.name"),
        System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
    System.out.printf("data: %s (%s) | workflows: %d | in flight: %d | warmup: %d | latency samples: %d%n",
        data.toAbsolutePath(), fileSystem(data), o.workflows(), o.inFlight(), o.warmup(), o.latencyWorkflows());
  }

  private static String fileSystem(Path dir) {
    try {
      Path existing = dir.toAbsolutePath();
      while (existing != null && !Files.exists(existing)) existing = existing.getParent();
      return existing == null ? "?" : Files.getFileStore(existing).type();
    } catch (IOException e) {
      return "?";
    }
  }
}

package dev.tern.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The bench command line: runs the workloads on each chosen store (embedded SQLite with and
 * without fsync, PostgreSQL with one and two nodes) and prints the machine, the settings, the
 * result table and which node ran what to stdout (progress goes to stderr). A store that fails
 * does not stop the others. Exits 1 if any workflow did not complete (or a store failed), 2 on a
 * bad command line.
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
    List<String> notes = new ArrayList<>();
    PostgresDatabase postgres = options.anyPostgres() ? new PostgresDatabase(options.databaseUrl()) : null;
    String postgresServer = postgres == null ? null : probe(postgres, notes, "pg stores skipped");
    List<StoreKind> stores = options.stores().stream().filter(k -> !k.postgres() || postgresServer != null).toList();
    printEnvironment(options, stores, postgres, postgresServer);

    Stores factory = new Stores(options, postgresServer == null ? null : postgres);
    ResultTable table = new ResultTable();
    List<NodeShare> shares = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (StoreKind kind : stores) {
      if (kind.postgres() && probe(postgres, notes, kind.id() + " skipped") == null) continue;
      try {
        new StoreSuite(options, factory, kind).run(table, shares);
      } catch (Exception e) {
        failures.add(kind.id() + ": " + e.getMessage());
        System.err.println("error: [" + kind.label() + "] " + e.getMessage());
        if (!(e instanceof IllegalStateException)) e.printStackTrace(System.err);
      }
    }

    System.out.println();
    if (!table.isEmpty()) table.print(System.out);
    System.out.println();
    System.out.println("steps/s = 3 x workflows/s (throughput) or rows/s (raw JDBC); p50/p90/p99 = schedule to completion;");
    System.out.println("batch size = store writes per transaction (group commit); Tern/limit = Tern throughput steps/s / that row's rows/s;");
    System.out.println("raw JDBC limit = plain inserts on one connection into a fresh SQLite file or pg schema (measured again for each pg store).");
    if (!shares.isEmpty()) {
      System.out.println();
      System.out.println("attempts per node in each measured phase (from the schema's attempts table):");
      for (NodeShare s : shares) System.out.println("  " + s.describe());
    }
    if (!notes.isEmpty() || !failures.isEmpty()) System.out.println();
    for (String note : notes) System.out.println("note: " + note);
    for (String failure : failures) System.out.println("FAILED " + failure.lines().findFirst().orElse(""));
    return failures.isEmpty() ? 0 : 1;
  }

  /**
   * Describes the PostgreSQL server, or notes that it is unreachable (and what is skipped for that)
   * and returns null. Asked again before each pg store, since the server may go away meanwhile.
   */
  private static String probe(PostgresDatabase postgres, List<String> notes, String consequence) {
    try {
      return postgres.probe();
    } catch (SQLException e) {
      String note = "PostgreSQL at " + postgres.displayUrl() + " is unreachable (" + e.getMessage() + "); " + consequence;
      System.err.println("note: " + note);
      notes.add(note);
      return null;
    }
  }

  /** slf4j-simple logs INFO (e.g. every Flyway migration) to stderr; keep only warnings unless asked otherwise. */
  private static void quietLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
  }

  private static void printEnvironment(BenchOptions o, List<StoreKind> stores, PostgresDatabase postgres, String postgresServer) {
    System.out.println("Tern bench: workflows of 3 no-op steps | stores: "
        + (stores.isEmpty() ? "none" : stores.stream().map(StoreKind::id).collect(Collectors.joining(", "))));
    System.out.printf("cores: %d (load average %.2f) | java: %s (%s %s) | os: %s %s %s%n", Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        System.getProperty("java.version"), System.getProperty("java.vm.vendor"), System.getProperty("java.vm.name"),
        System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
    System.out.printf("workflows: %d | in flight: %d | warmup: %d | latency samples: %d | max active runs per engine: %d%n",
        o.workflows(), o.inFlight(), o.warmup(), o.latencyWorkflows(), o.maxActiveRuns());
    if (o.anySqlite()) {
      Path data = o.dataDir() != null ? o.dataDir() : Path.of(System.getProperty("java.io.tmpdir"));
      System.out.printf("sqlite: a fresh data directory per engine run under %s (%s)%n", data.toAbsolutePath(), fileSystem(data));
    }
    if (postgres != null) {
      System.out.printf("postgresql: %s (%s)%n", postgres.displayUrl(), postgresServer == null ? "unreachable: pg stores skipped" : postgresServer);
      if (postgresServer != null) {
        System.out.println("postgresql: a fresh schema tern_bench_* per engine run, dropped afterwards; pg-2nodes = engines "
            + PostgresSetup.nodeId(0) + " and " + PostgresSetup.nodeId(1) + " in this JVM on one schema, runs scheduled on them in turn");
      }
    }
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

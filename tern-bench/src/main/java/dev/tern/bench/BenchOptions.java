package dev.tern.bench;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of the bench, parsed by hand: how many workflows, how many in flight, how
 * much warmup, which stores, and where their data lives.
 *
 * @param workflows        workflows measured in the throughput workload
 * @param inFlight         at most this many runs scheduled but not finished at once
 * @param warmup           workflows run (and discarded) before measuring
 * @param latencyWorkflows one-step workflows run one after another in the latency workload
 * @param maxActiveRuns    each engine's limit of runs executing at once (every node of a store alike)
 * @param stores           the stores to run, one table section each, in this order
 * @param databaseUrl      the PostgreSQL JDBC URL (without currentSchema) for the pg stores
 * @param dataDir          where fresh per-run SQLite directories are made; null for the system temp dir
 */
record BenchOptions(int workflows, int inFlight, int warmup, int latencyWorkflows, int maxActiveRuns, List<StoreKind> stores,
    String databaseUrl, Path dataDir) {

  static final int DEFAULT_MAX_ACTIVE_RUNS = 10_000;

  static final String USAGE = """
      usage: bench/run [--quick] [--stores LIST] [--workflows N] [--in-flight K] [--warmup N] [--max-active-runs N]
                       [--database-url URL] [--data-dir DIR]
        --stores LIST        comma-separated, from sqlite-fsync,sqlite-nofsync,pg-1node,pg-2nodes (default: all four);
                             pg-2nodes runs two engines in this JVM on one schema, scheduling on them in turn
        --workflows N        workflows of 3 no-op steps in the throughput workload (default 2000; --quick 500)
        --in-flight K        at most K runs scheduled but not finished at once (default 64)
        --warmup N           workflows run first and discarded (default 300; --quick 100)
        --max-active-runs N  each engine's limit of runs executing at once (default 10000)
        --quick              a shorter run: 500 workflows, 100 warmup, 100 latency samples
        --database-url URL   PostgreSQL for the pg stores (default jdbc:postgresql://127.0.0.1:5432/test?user=postgres);
                             each engine run gets a fresh schema tern_bench_*, dropped afterwards. If the database is
                             unreachable the pg stores are skipped with a note
        --data-dir DIR       make the fresh per-run SQLite directories under DIR (default: the system temp dir);
                             each is deleted afterwards
        --fsync B            same as --stores sqlite-fsync (B = true) or --stores sqlite-nofsync (B = false)
      """;

  /** Thrown for a bad command line; its message says what is wrong. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  boolean anyPostgres() {
    return stores.stream().anyMatch(StoreKind::postgres);
  }

  boolean anySqlite() {
    return stores.stream().anyMatch(k -> !k.postgres());
  }

  static BenchOptions parse(String... args) throws UsageException {
    boolean quick = List.of(args).contains("--quick");
    int workflows = quick ? 500 : 2000;
    int warmup = quick ? 100 : 300;
    int latency = quick ? 100 : 200;
    int inFlight = 64;
    int maxActiveRuns = DEFAULT_MAX_ACTIVE_RUNS;
    List<StoreKind> stores = List.of(StoreKind.values());
    String storesFlag = null;
    String databaseUrl = PostgresDatabase.DEFAULT_URL;
    Path dataDir = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--quick" -> { }
        case "--workflows" -> workflows = positive(flag, value(args, ++i, flag), 1);
        case "--in-flight" -> inFlight = positive(flag, value(args, ++i, flag), 1);
        case "--warmup" -> warmup = positive(flag, value(args, ++i, flag), 0);
        case "--max-active-runs" -> maxActiveRuns = positive(flag, value(args, ++i, flag), 1);
        case "--stores", "--fsync" -> {
          if (storesFlag != null) throw new UsageException(flag + " and " + storesFlag + " both choose the stores; give one");
          storesFlag = flag;
          String text = value(args, ++i, flag);
          stores = flag.equals("--fsync")
              ? List.of(bool(flag, text) ? StoreKind.SQLITE_FSYNC : StoreKind.SQLITE_NOFSYNC)
              : stores(flag, text);
        }
        case "--database-url" -> databaseUrl = databaseUrl(flag, value(args, ++i, flag));
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, flag));
        case "-h", "--help" -> throw new UsageException("");
        default -> throw new UsageException("unknown option '" + flag + "'");
      }
    }
    return new BenchOptions(workflows, inFlight, warmup, latency, maxActiveRuns, stores, databaseUrl, dataDir);
  }

  private static String value(String[] args, int i, String flag) throws UsageException {
    if (i >= args.length) throw new UsageException(flag + " needs a value");
    return args[i];
  }

  private static int positive(String flag, String text, int min) throws UsageException {
    try {
      int n = Integer.parseInt(text);
      if (n >= min) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(flag + " must be an integer >= " + min + " (was '" + text + "')");
  }

  private static boolean bool(String flag, String text) throws UsageException {
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new UsageException(flag + " must be true or false (was '" + text + "')");
    };
  }

  private static List<StoreKind> stores(String flag, String text) throws UsageException {
    Set<StoreKind> chosen = new LinkedHashSet<>();
    for (String id : text.split(",")) {
      StoreKind kind = StoreKind.byId(id.strip());
      if (kind == null) throw new UsageException(flag + ": unknown store '" + id.strip() + "' (known: " + StoreKind.allIds() + ")");
      chosen.add(kind);
    }
    return List.copyOf(chosen);
  }

  private static String databaseUrl(String flag, String url) throws UsageException {
    if (!url.startsWith("jdbc:postgresql:")) throw new UsageException(flag + " must start with jdbc:postgresql: (was '" + url + "')");
    if (url.matches(".*[?&]currentSchema=.*")) {
      throw new UsageException(flag + " must not set currentSchema: the bench makes a fresh schema per engine run");
    }
    return url;
  }
}

package dev.tern.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line of the bench, parsed by hand: how many workflows, how many in flight, how
 * much warmup, which fsync modes and where the data lives.
 *
 * @param workflows        workflows measured in the throughput workload
 * @param inFlight         at most this many runs scheduled but not finished at once
 * @param warmup           workflows run (and discarded) before measuring
 * @param latencyWorkflows one-step workflows run one after another in the latency workload
 * @param fsyncModes       the fsync settings to run, one table section each
 * @param dataDir          where fresh per-run directories are made; null for the system temp dir
 */
record BenchOptions(int workflows, int inFlight, int warmup, int latencyWorkflows, List<Boolean> fsyncModes, Path dataDir) {

  static final String USAGE = """
      usage: bench/run [--quick] [--workflows N] [--in-flight K] [--warmup N] [--fsync true|false] [--data-dir DIR]
        --workflows N    workflows of 3 no-op steps in the throughput workload (default 2000; --quick 500)
        --in-flight K    at most K runs scheduled but not finished at once (default 64)
        --warmup N       workflows run first and discarded (default 300; --quick 100)
        --fsync B        only fsync=B (default: both true and false)
        --quick          a shorter run: 500 workflows, 100 warmup, 100 latency samples
        --data-dir DIR   make the fresh per-run data directories under DIR (default: the system temp dir);
                         each is deleted afterwards
      """;

  /** Thrown for a bad command line; its message says what is wrong. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  static BenchOptions parse(String... args) throws UsageException {
    boolean quick = List.of(args).contains("--quick");
    int workflows = quick ? 500 : 2000;
    int warmup = quick ? 100 : 300;
    int latency = quick ? 100 : 200;
    int inFlight = 64;
    List<Boolean> fsync = List.of(true, false);
    Path dataDir = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--quick" -> { }
        case "--workflows" -> workflows = positive(flag, value(args, ++i, flag), 1);
        case "--in-flight" -> inFlight = positive(flag, value(args, ++i, flag), 1);
        case "--warmup" -> warmup = positive(flag, value(args, ++i, flag), 0);
        case "--fsync" -> fsync = List.of(bool(flag, value(args, ++i, flag)));
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, flag));
        case "-h", "--help" -> throw new UsageException("");
        default -> throw new UsageException("unknown option '" + flag + "'");
      }
    }
    return new BenchOptions(workflows, inFlight, warmup, latency, fsync, dataDir);
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
}

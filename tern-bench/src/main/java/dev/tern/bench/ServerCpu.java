package dev.tern.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The CPU time a PostgreSQL server on this machine has spent: the user and system time of every process named
 * {@code postgres} in {@code /proc} (Linux), with what its exited children spent (an autovacuum worker, a closed
 * connection's backend). Workload 1 reports it per workflow next to the bench process's own CPU: on the 2-core machine
 * the server spent two thirds of what a workflow on Tern costs the machine, which the process's CPU alone hides.
 */
final class ServerCpu {
    private static final Path PROC = Path.of("/proc");
    private static final Set<String> LOCAL_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private final Path proc;
    private final long nanosPerTick;

    ServerCpu(Path proc, long ticksPerSecond) {
        this.proc = proc;
        this.nanosPerTick = 1_000_000_000L / ticksPerSecond;
    }

    /**
     * The server at {@code jdbcUrl} when it runs on this machine and {@code /proc} shows its processes; null otherwise
     * (a remote server, another operating system), and the bench then reports no server CPU.
     */
    static ServerCpu local(String jdbcUrl) {
        String host = host(jdbcUrl);
        if (host == null || !LOCAL_HOSTS.contains(host) || !Files.isDirectory(PROC)) return null;
        ServerCpu cpu = new ServerCpu(PROC, ticksPerSecond());
        return cpu.processes() > 0 ? cpu : null;
    }

    /** The host of a {@code jdbc:postgresql://host:port/db} URL, or null if it names none. */
    static String host(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) return null;
        try {
            return URI.create(jdbcUrl.substring("jdbc:".length())).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The server's CPU time so far, in nanoseconds (to the kernel's clock tick, 10 ms on most machines). */
    long nanos() {
        long ticks = 0;
        for (long[] times : stats()) ticks += times[0] + times[1] + times[2] + times[3];
        return ticks * nanosPerTick;
    }

    private int processes() {
        return stats().size();
    }

    /** utime, stime, cutime and cstime of each postgres process (fields 14-17 of {@code /proc/<pid>/stat}). */
    private java.util.List<long[]> stats() {
        java.util.List<long[]> out = new java.util.ArrayList<>();
        try (DirectoryStream<Path> pids =
                Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path pid : pids) {
                long[] times = times(pid.resolve("stat"));
                if (times != null) out.add(times);
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** The process's four CPU times if it is a postgres process, else null (also when it exited meanwhile). */
    static long[] times(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException e) {
            return null;
        }
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open || !line.substring(open + 1, close).equals("postgres")) return null;
        String[] f = line.substring(close + 2).trim().split(" ");
        // after the name: state is field 3 of the line, utime field 14, so f[11] .. f[14]
        if (f.length < 15) return null;
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }

    /** The kernel's clock ticks per second ({@code getconf CLK_TCK}); 100, Linux's usual, if that cannot be asked. */
    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}

package dev.tern.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Workload 5, "recovery": a child JVM (same JVM options as this one) starts N runs of three steps whose first never
 * finishes there ({@link BenchWorkflows#stallWork}), and is killed with SIGKILL ({@link Process#destroyForcibly}) while
 * all are in flight; then the system is started again in this process on the same store (where a step takes 100 ms),
 * and the time from that start until every run has completed is measured, and runs recovered per second from it.
 */
final class RecoveryWorkload {
    /** Time for the child to take up the runs it scheduled (its steps never finish). */
    private static final Duration KILL_AFTER = Duration.ofMillis(500);

    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final BenchOptions options;
    private final Contenders contenders;
    private final List<Result> results;
    private final List<String> notes;

    RecoveryWorkload(BenchOptions options, Contenders contenders, List<Result> results, List<String> notes) {
        this.options = options;
        this.contenders = contenders;
        this.results = results;
        this.notes = notes;
    }

    static boolean supports(SystemKind kind) {
        return kind == SystemKind.TERN_SQLITE || kind == SystemKind.TERN_PG || kind == SystemKind.DBOS;
    }

    void run(SystemKind kind) throws Exception {
        int count = options.sizes().recoveryRuns();
        try (RecoveryTarget target = RecoveryTarget.create(kind, contenders, options.dataDir())) {
            Progress.of(kind.label(), "recovery: child JVM starts " + count + " runs, then SIGKILL");
            killChildMidFlight(target, count);
            int before = target.completed();
            Progress.of(
                    kind.label(),
                    "recovery: killed with " + before + " of " + count + " complete; restarting in this process");
            long t0 = System.nanoTime();
            long deadline = t0 + TIMEOUT.toNanos();
            int done;
            try (RecoveryTarget.Running system = target.start()) {
                while ((done = target.completed()) < count && System.nanoTime() < deadline) Thread.sleep(POLL);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (done < count)
                throw new IllegalStateException(
                        done + " of " + count + " runs complete " + TIMEOUT.toMinutes() + " min after restart");
            results.add(new Result(
                    Workload.RECOVERY.label(), kind.label(), Metric.RECOVERY_SECONDS, Spread.single(seconds)));
            results.add(new Result(
                    Workload.RECOVERY.label(),
                    kind.label(),
                    Metric.RUNS_RECOVERED_PER_SECOND,
                    Spread.single((count - before) / seconds)));
            notes.add("recovery, " + kind.label() + ": " + before + " of " + count
                    + " runs had completed when the child was killed");
        }
    }

    private static void killChildMidFlight(RecoveryTarget target, int count) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib")
                    && !arg.startsWith("-javaagent")
                    && !arg.startsWith("-XX:StartFlightRecording")) command.add(arg);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RecoveryChild.class.getName()));
        command.addAll(target.childArgs());
        command.add(Integer.toString(count));
        Process child = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals(RecoveryChild.READY)) {
                // skip anything else the child prints
            }
            if (line == null)
                throw new IllegalStateException(
                        "the recovery child exited with " + child.waitFor() + " before scheduling its runs");
            Thread.sleep(KILL_AFTER);
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
    }
}

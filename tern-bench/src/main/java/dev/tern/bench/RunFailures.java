package dev.tern.bench;

import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Collects runs that did not end COMPLETED (or threw), so the bench can fail loudly at the end. */
final class RunFailures {
    private static final int SHOWN = 10;
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    void check(String runId, RunRecord run) {
        if (run.status() != RunStatus.COMPLETED) {
            String why = run.error() == null ? "" : " error=" + run.error();
            problems.add("run " + runId + " of " + run.name() + " ended " + run.status()
                    + (run.status().isTerminal() ? "" : " (timed out waiting)") + why);
        }
    }

    void thrown(String what, Throwable e) {
        problems.add(what + " threw " + e);
        synchronized (System.err) {
            System.err.println("error: " + what + " threw:");
            e.printStackTrace(System.err);
        }
    }

    int count() {
        return problems.size();
    }

    /** Throws if any run failed, naming the first few. */
    void throwIfAny(String workload) {
        if (problems.isEmpty()) return;
        List<String> first = problems.stream().limit(SHOWN).toList();
        throw new IllegalStateException(workload + ": " + problems.size() + " workflow(s) did not complete:\n  "
                + String.join("\n  ", first) + (problems.size() > SHOWN ? "\n  ..." : ""));
    }
}

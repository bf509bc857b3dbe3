package dev.tern.engine.internal.exec;

import dev.tern.engine.internal.store.StoredRun;
import dev.tern.sdk.ChildRun;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The children one {@code awaitAll} waits for, looked at together: a look at a child not yet seen ended reads it with
 * every child still to be awaited, in one query, and keeps those that ended, so their awaits read nothing. A parent
 * whose children run at once finds most of them ended when the first it awaits does: one read for them all, not one
 * each. A child's end is final, so an end seen earlier is the end a read now would find. A look reads at most
 * {@value #AT_MOST} children: a parent of thousands whose children end one by one, woken by each end, would otherwise
 * read every child still running at every wake.
 */
final class ChildLooks {
    static final int AT_MOST = 64;

    private final RunExecution exec;
    private final Deque<String> ahead = new ArrayDeque<>();
    private final Map<String, StoredRun> ended = new HashMap<>();

    private ChildLooks(RunExecution exec, List<ChildRun> children) {
        this.exec = exec;
        for (ChildRun c : children) ahead.add(c.runId());
    }

    /** Awaits each child in order, as {@code awaitChild} does, and returns their outputs. */
    static <T> List<T> awaitAll(RunExecution exec, DurableWait durable, List<ChildRun> children, Class<T> outputType) {
        ChildLooks looks = new ChildLooks(exec, children);
        List<T> outputs = new ArrayList<>(children.size());
        for (ChildRun child : children) {
            looks.ahead.remove(child.runId());
            outputs.add(durable.await(new ChildWait<>(exec, child, outputType, looks)));
        }
        return outputs;
    }

    /** The child as it stands now, or null if no such run exists. */
    StoredRun look(String childId) {
        StoredRun seen = ended.get(childId);
        if (seen != null) return seen;
        List<String> ids = new ArrayList<>(Math.min(ahead.size() + 1, AT_MOST));
        ids.add(childId);
        for (String id : ahead) {
            if (ids.size() == AT_MOST) break;
            if (!ended.containsKey(id)) ids.add(id);
        }
        StoredRun found = null;
        for (StoredRun run : Durable.read(() -> exec.host().store().findRuns(ids))) {
            if (run.status().isTerminal()) ended.put(run.id(), run);
            if (run.id().equals(childId)) found = run;
        }
        return found;
    }
}

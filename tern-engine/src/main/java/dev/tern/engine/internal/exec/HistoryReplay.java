package dev.tern.engine.internal.exec;

import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.sdk.RunnableDefinition;
import java.util.Comparator;
import java.util.List;

/**
 * Replays a recorded history against the code of its definition as it stands, with nothing but the history: the code
 * runs in an execution of the engine's own ({@link ExecutionContext} replaying steps by position, the durable waits,
 * the agent driver) whose host says {@link ExecutionHost#replayOnly() replay only}. A recorded step returns its
 * recorded result; a step recorded under another name or kind at its position is the engine's non-determinism; the
 * first step the history does not hold (or holds only as begun) ends the replay. No step body executes, nothing is
 * written, no store or node is used.
 */
public final class HistoryReplay {
    private HistoryReplay() {}

    /**
     * What the replay found.
     *
     * @param replayed how many recorded steps the code asked for, at their positions, before it, or the history, ended
     *     (or the two parted)
     * @param parting where code and history part, or {@code null} if they do not
     */
    public record Outcome(int replayed, Parting parting) {}

    /**
     * The first position at which the code does not ask for the recorded step.
     *
     * @param requestedKind what the code asked for there; {@code null} (with {@code requestedName}) when it ended first
     * @param codeEnding how the code ended when it ended first: {@code returned} or {@code failed with ...}
     */
    public record Parting(
            int step, StepRecord recorded, StepKind requestedKind, String requestedName, String codeEnding) {}

    /**
     * Replays {@code steps} (a run's recorded steps) with the run's {@code run} start (its input, budget, whether it
     * continues another) against {@code definition}, on the calling thread.
     */
    public static Outcome replay(
            RunnableDefinition definition, String runId, int attempt, RunStart run, List<StepRecord> steps) {
        ReplayHost host = new ReplayHost();
        Outcome outcome = replay(host, definition, runId, attempt, run, steps);
        if (host.storeUse() != null) {
            // replay went live somewhere (even if the code caught what the store threw): never report that as a pass
            throw new IllegalStateException(
                    "the replay of run " + runId + " used the store (" + host.storeUse() + "): a bug of replay mode");
        }
        return outcome;
    }

    private static Outcome replay(
            ReplayHost host,
            RunnableDefinition definition,
            String runId,
            int attempt,
            RunStart run,
            List<StepRecord> steps) {
        RunExecution exec = new RunExecution(host, runId, attempt, null, null);
        ExecutionContext ctx = new ExecutionContext(exec, steps, null, run.budget(), null);
        String ending;
        try {
            exec.invoke(definition, ctx, run);
            ending = "returned";
        } catch (WorkflowInterrupt.HistoryEnd end) {
            return new Outcome(recordedBefore(steps, end.seq), null);
        } catch (WorkflowInterrupt.NonDeterminism n) {
            return new Outcome(
                    recordedBefore(steps, n.seq),
                    new Parting(n.seq, n.recorded, n.requestedKind, n.requestedName, null));
        } catch (WorkflowInterrupt other) {
            throw new IllegalStateException("the replay of run " + runId + " stopped: " + other.getMessage(), other);
        } catch (Exception e) {
            ending = "failed with " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        // the code ended: it must have asked for every step the history holds
        int next = ctx.currentSeq();
        StepRecord skipped = steps.stream()
                .filter(s -> s.seq() >= next)
                .min(Comparator.comparingInt(StepRecord::seq))
                .orElse(null);
        return new Outcome(
                recordedBefore(steps, next),
                skipped == null ? null : new Parting(skipped.seq(), skipped, null, null, ending));
    }

    private static int recordedBefore(List<StepRecord> steps, int seq) {
        return (int) steps.stream().filter(s -> s.seq() < seq).count();
    }
}

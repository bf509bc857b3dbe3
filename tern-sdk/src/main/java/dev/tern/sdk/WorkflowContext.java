package dev.tern.sdk;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What workflow code uses to act durably. Every call takes the next position in the run's step sequence; on replay a
 * position that already completed returns its recorded result without running again. Calling a different step at a
 * recorded position fails the run with a non-determinism error.
 */
public interface WorkflowContext {

    /** This run's id. */
    String runId();

    /** The current attempt of this run (1 on the first execution, +1 on each takeover after a crash). */
    int attempt();

    /** Runs {@code function} as a step with its own options. */
    <I, O> O call(FunctionDefinition<I, O> function, I input);

    /** Runs {@code body} as a step named {@code name} with default options. */
    default <T> T step(String name, Class<T> resultType, StepBody<T> body) {
        return step(name, StepOptions.defaults(), resultType, body);
    }

    /** Runs {@code body} as a step named {@code name}. */
    <T> T step(String name, StepOptions options, Class<T> resultType, StepBody<T> body);

    /**
     * Runs the steps at once, each on its own thread with its own retries, and returns their results in the given order
     * after all have finished. If any failed, the first failure (in that order) is thrown; the others' results are
     * still recorded.
     */
    <T> List<T> parallel(List<StepCall<T>> steps);

    /**
     * Starts a run of the workflow or agent {@code name} as a child of this run, durably. A child never outlives its
     * parent: it is cancelled when the parent ends.
     */
    ChildRun startChild(String name, Object input);

    /**
     * Waits, durably and holding no thread while long, for the child's output; throws {@link ChildFailedException} if
     * it failed.
     */
    <T> T awaitChild(ChildRun child, Class<T> outputType);

    /** Starts a child and waits for its output. */
    default <T> T runChild(String name, Object input, Class<T> outputType) {
        return awaitChild(startChild(name, input), outputType);
    }

    /** Waits for every child in order (fan-in) and returns their outputs. */
    default <T> List<T> awaitAll(List<ChildRun> children, Class<T> outputType) {
        return children.stream().map(c -> awaitChild(c, outputType)).toList();
    }

    /** Sleeps durably: a long sleep holds no thread and survives restarts. */
    void sleep(Duration duration);

    /** Waits, durably, for the next event named {@code eventName} sent to this run. */
    <T> T awaitEvent(String eventName, Class<T> type);

    /** Like {@link #awaitEvent(String, Class)}, giving up after {@code timeout}. */
    <T> Optional<T> awaitEvent(String eventName, Class<T> type, Duration timeout);

    /**
     * Asks a human and waits, durably, for the answer, which must satisfy the schema of {@code answerType}. The run is
     * {@code awaiting-human} until someone answers over the API.
     */
    default <T> T askHuman(String prompt, Class<T> answerType) {
        return askHuman(HumanQuestion.of(prompt), answerType).orElseThrow();
    }

    /** Like {@link #askHuman(String, Class)}; empty if the question's timeout passes unanswered. */
    <T> Optional<T> askHuman(HumanQuestion question, Class<T> answerType);

    /** The current time, recorded so that replay sees the same value. */
    Instant now();

    /** A random number in [0, 1), recorded so that replay sees the same value. */
    double random();

    /** A random UUID, recorded so that replay sees the same value. */
    UUID uuid();

    /**
     * What this run may spend on model calls: the budget it was scheduled with (else its definition's), raised by every
     * {@link #raiseBudget} so far.
     */
    Budget budget();

    /** What this run's steps have reported spending so far (tokens and USD), the same on replay. */
    Usage spent();

    /** Raises this run's budget durably (a recorded step), e.g. after a human approved more spending. */
    Budget raiseBudget(double additionalUsd, long additionalTokens);

    /** The language model this node is configured with, if any (see {@link ModelEndpoint}). */
    Optional<ModelEndpoint> model();

    /**
     * Whether this execution takes the new code path of patch {@code patchId}: true in an execution that reaches this
     * point for the first time (the patch marker is recorded in the run's history there), and on replay of such a
     * history; false when replaying a history recorded before the patch, whose step at this point is another. Branch on
     * it to change code while runs are in flight: {@code if (ctx.patched("fix-rounding")) newCode(); else oldCode();}.
     */
    boolean patched(String patchId);

    /**
     * Marks patch {@code patchId} as deprecated once no run recorded before it remains: code takes the new path
     * unconditionally, and a history holding the marker here (or not) replays either way.
     */
    void deprecatePatch(String patchId);

    /**
     * The model (and parameters) this run's model calls use instead of the configured one, if it was given one: a fork
     * asking what another model would have answered, or a run scheduled with a model.
     */
    default Optional<ModelChoice> modelChoice() {
        return Optional.empty();
    }
}

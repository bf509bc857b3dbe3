package dev.tern.sdk;

import dev.tern.sdk.internal.StepAttempt;

/**
 * The step executing on this thread, as its code sees it: report what it spent, stream text while it works, or say what
 * kind of step it turned out to be. Take it with {@link #current()} on the step's thread and keep the reference for
 * callbacks on other threads (a streaming HTTP client's, say). Outside a step, {@link #current()} is {@code null}. The
 * engine provides the scope; step code never implements or opens one.
 */
public interface StepScope {

    /** The step running on this thread (or a thread it started), or {@code null}. */
    static StepScope current() {
        return StepAttempt.current();
    }

    /** The step's position in its run. */
    int stepSeq();

    /** Which attempt of the step this is: 1, then 2 after a retry or after the process running it died. */
    int attempt();

    /** Adds tokens and money this attempt spent; recorded with the step's checkpoint and added to the run's metrics. */
    void reportUsage(Usage spent);

    /** Streams {@code text} to the run's live watchers now (e.g. a model's token); not part of the history. */
    void token(String text);

    /**
     * Records the step as {@code stepType} instead of the type its options declared (a model call that chose tools is a
     * decision).
     */
    void markType(StepType stepType);

    /**
     * Describes what this attempt did as a generative-AI operation (a model call, a tool execution), for traces and
     * metrics; the last report of each kind wins.
     */
    void report(GenAiOperation operation);
}

package dev.tern.engine.internal.exec;

/**
 * The names the engine gives the steps it records itself (waits, recorded values, child runs). They are matched on
 * replay against the recorded history, so they never change: a run recorded with one of them must find it again.
 */
final class StepNames {
    /** A durable sleep. */
    static final String SLEEP = "sleep";
    /** An agent's wait for any event it handles; the completed step is renamed after the event taken. */
    static final String ANY_EVENT = "event";
    /** A question to a human. */
    static final String HUMAN = "human";
    /** Recorded sources of non-determinism, and a budget raise. */
    static final String NOW = "now";

    static final String RANDOM = "random";
    static final String UUID = "uuid";
    static final String BUDGET = "budget";

    private static final String PATCH = "patch:";
    private static final String CHILD_START = "child:";
    private static final String CHILD_AWAIT = "await:";

    private StepNames() {}

    /** The marker of patch {@code patchId}. */
    static String patch(String patchId) {
        return PATCH + patchId;
    }

    /** The step that starts a child run of the agent or workflow {@code definition}. */
    static String childStart(String definition) {
        return CHILD_START + definition;
    }

    /** The step that waits for the child run {@code childRunId} to end. */
    static String childAwait(String childRunId) {
        return CHILD_AWAIT + childRunId;
    }
}

package dev.tern.engine;

import java.time.Instant;

/**
 * What an unfinished run is waiting on, and since when: a human's answer ({@code blockingInteractionId} set), a
 * concurrency or rate limit, or (a dependency) a timer, an event or a child run. Recorded for a run suspended on the
 * wait as well as one waiting in its thread; cleared when the wait ends.
 */
public record RunWait(String waitingOn, Instant waitingSince, String blockingInteractionId) {
    /** Waiting on nothing. */
    public static final RunWait NONE = new RunWait(null, null, null);

    public static final String HUMAN = "human";
    public static final String LIMIT_PREFIX = "limit:";
    /** A durable sleep. */
    public static final String SLEEP = "sleep";
    /** An agent waiting for any event it handles; {@code event:<name>} for a workflow awaiting one event. */
    public static final String EVENT = "event";

    public static final String EVENT_PREFIX = "event:";
    /** {@code child:<runId>}: a parent awaiting its child run. */
    public static final String CHILD_PREFIX = "child:";

    public boolean onHuman() {
        return HUMAN.equals(waitingOn);
    }

    public boolean onLimit() {
        return waitingOn != null && waitingOn.startsWith(LIMIT_PREFIX);
    }

    /** Waiting on a timer, an event or a child run: something the run itself asked for, neither a human nor a limit. */
    public boolean onDependency() {
        return waitingOn != null && !onHuman() && !onLimit();
    }
}

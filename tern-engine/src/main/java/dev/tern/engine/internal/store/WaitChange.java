package dev.tern.engine.internal.store;

import java.time.Instant;

/**
 * A change to what a run waits on, written with the step checkpoint that begins or ends the wait (a sleep's timer, the
 * step that completes a wait for an event or a child), in the same statement: {@code waitingOn} since {@code since}, or
 * nothing when both are null.
 */
public record WaitChange(String waitingOn, Instant since, Instant at) {

    public static WaitChange begin(String waitingOn, Instant since) {
        return new WaitChange(waitingOn, since, since);
    }

    public static WaitChange end(Instant at) {
        return new WaitChange(null, null, at);
    }
}

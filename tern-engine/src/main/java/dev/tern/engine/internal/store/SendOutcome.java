package dev.tern.engine.internal.store;

/** What appending an event to a run's inbox did: its inbox number, or why it was refused. */
/**
 * Where an event landed: {@code runId} is the run that took it (the latest of an agent's
 * continued runs when sent to an earlier one).
 */
public record SendOutcome(String runId, long inboxSeq, boolean found, boolean finished) {}

package dev.tern.engine.internal.store;

/**
 * What appending an event to a run's inbox did: where it landed ({@code runId}, the latest of an agent's continued runs
 * when sent to an earlier one) and its inbox number, or why it was refused.
 */
public record SendOutcome(String runId, long inboxSeq, boolean found, boolean finished) {}

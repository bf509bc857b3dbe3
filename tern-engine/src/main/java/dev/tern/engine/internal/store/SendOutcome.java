package dev.tern.engine.internal.store;

/** What appending an event to a run's inbox did: its inbox number, or why it was refused. */
public record SendOutcome(long inboxSeq, boolean found, boolean finished) {}

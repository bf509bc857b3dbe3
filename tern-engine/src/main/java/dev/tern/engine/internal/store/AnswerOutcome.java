package dev.tern.engine.internal.store;

/** What answering an interaction did. */
public enum AnswerOutcome {
    ANSWERED,
    NOT_FOUND,
    NOT_OPEN
}

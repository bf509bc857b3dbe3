package dev.tern.engine.internal.store;

/** What an executing run polls: a counter bumped by every event and cancel, and the cancel flag. */
public record RunSignals(long signalSeq, boolean cancelRequested) {}

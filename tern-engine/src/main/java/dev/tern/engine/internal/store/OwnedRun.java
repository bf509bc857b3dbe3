package dev.tern.engine.internal.store;

/** A run whose lease this node just renewed, and whether someone asked to cancel it. */
public record OwnedRun(String runId, int attempt, boolean cancelRequested) {}

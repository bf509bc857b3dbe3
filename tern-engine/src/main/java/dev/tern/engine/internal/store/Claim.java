package dev.tern.engine.internal.store;

/** A run this node now owns: a fresh attempt, or the same attempt resumed after suspension. */
public record Claim(String runId, int attempt, boolean resumed) {}

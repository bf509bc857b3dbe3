package dev.tern.engine;

/**
 * Where a forked run came from: the run it was forked from and the step it executes from. Steps before {@code step} are
 * the original's recorded results, copied without executing.
 */
public record ForkedFrom(String runId, int step) {}

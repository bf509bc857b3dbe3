package dev.tern.engine;

/**
 * The outcome of scheduling: the run, and whether this request created it ({@code false}: its idempotency key had
 * already started it for the same request, which is returned as it stands).
 */
public record ScheduledRun(RunRecord run, boolean created) {}

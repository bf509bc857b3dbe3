package dev.tern.engine;

import java.time.Instant;

/** One execution attempt of a run by one node; a new one opens when a crashed run is taken over. */
public record AttemptRecord(
    String runId, int attempt, String nodeId, Instant startedAt, Instant lastKeepAliveAt, Instant endedAt, String outcome) {}

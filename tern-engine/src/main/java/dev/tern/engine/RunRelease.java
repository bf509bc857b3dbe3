package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What code and settings a run was pinned to when it was scheduled: the revision of its definition (null for a call
 * run, which has none), the release channel that chose it, and snapshots of the execution profile and run policy in
 * force then, so its behaviour can be explained after the defaults changed.
 */
public record RunRelease(String revision, String channel, JsonNode executionProfile, JsonNode runPolicy) {
    /** Nothing recorded: a run created before revisions existed, or a call run. */
    public static final RunRelease NONE = new RunRelease(null, null, null, null);

    /** Pinned to {@code value}, nothing else recorded. */
    public static RunRelease of(String value) {
        return new RunRelease(value, null, null, null);
    }

    /** The same, recording the channel {@code value}. */
    public RunRelease withChannel(String value) {
        return new RunRelease(revision, value, executionProfile, runPolicy);
    }

    /** The same, pinned to {@code value}. */
    public RunRelease withRevision(String value) {
        return new RunRelease(value, channel, executionProfile, runPolicy);
    }

    /** The same, with the two snapshots. */
    public RunRelease withSnapshots(JsonNode profile, JsonNode policy) {
        return new RunRelease(revision, channel, profile, policy);
    }
}

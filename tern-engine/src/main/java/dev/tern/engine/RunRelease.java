package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What code and settings a run was pinned to when it was scheduled: the revision of its definition (null for a call
 * run, which has none), the release channel that chose it, and snapshots of the execution profile and run policy in
 * force then, so its behaviour can be explained after the defaults changed. The two snapshots of runs read from the
 * store are shared by every run with the same ones: read them, copy them to change them.
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

    /**
     * A child run's release: its own revision, the parent's channel, the parent's execution profile made the child's
     * (its definition and revision; the model only if the child calls one), and the run policy its own options give.
     */
    public static RunRelease forChild(RunRelease parent, dev.tern.sdk.RunnableDefinition child, RunOptions options) {
        com.fasterxml.jackson.databind.node.ObjectNode profile = null;
        if (parent.executionProfile() instanceof com.fasterxml.jackson.databind.node.ObjectNode p) {
            profile = p.deepCopy()
                    .put("resourceType", child.kind().wireName())
                    .put("definition", child.name())
                    .put("revision", child.revision());
            if (!child.requiresModel()) profile.remove("model");
        }
        return of(child.revision())
                .withChannel(parent.channel())
                .withSnapshots(profile, RunSnapshots.policy(child, options));
    }
}

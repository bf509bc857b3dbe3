package dev.tern.engine;

/**
 * What an organisation may use of a shared server, enforced in the store's transaction that creates each run, so it
 * holds across every node of a cluster. {@code null} fields are unlimited.
 *
 * @param maxActiveRuns the most unfinished (queued, running or waiting) runs the organisation may have at once
 * @param schedulesPerSecond the most runs the organisation may create in one second
 */
public record OrgQuota(Integer maxActiveRuns, Double schedulesPerSecond) {
    public static final OrgQuota UNLIMITED = new OrgQuota(null, null);

    public OrgQuota {
        if (maxActiveRuns != null && maxActiveRuns < 0)
            throw new IllegalArgumentException("maxActiveRuns must be 0 or more, was " + maxActiveRuns);
        if (schedulesPerSecond != null && (schedulesPerSecond.isNaN() || schedulesPerSecond <= 0))
            throw new IllegalArgumentException("schedulesPerSecond must be more than 0, was " + schedulesPerSecond);
    }

    /** Whether the quota limits anything. */
    public boolean limits() {
        return maxActiveRuns != null || schedulesPerSecond != null;
    }
}

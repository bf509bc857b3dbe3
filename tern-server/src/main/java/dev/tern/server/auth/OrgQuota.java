package dev.tern.server.auth;

/**
 * An organisation's limits from the tokens file's {@code orgs}; null: no limit. The HTTP layer only reads them; they
 * are enforced where runs are started and scheduled.
 *
 * @param maxActiveRuns the most unfinished runs the organisation may have at once, 0 or more (0: it may start none)
 * @param schedulesPerSecond the most runs the organisation may create in one second, above 0
 */
public record OrgQuota(Integer maxActiveRuns, Double schedulesPerSecond) {
    /** No limits: an organisation the file gives none. */
    public static final OrgQuota UNLIMITED = new OrgQuota(null, null);

    public OrgQuota {
        if (maxActiveRuns != null && maxActiveRuns < 0)
            throw new IllegalArgumentException("maxActiveRuns must be 0 or more");
        if (schedulesPerSecond != null && !(schedulesPerSecond > 0 && Double.isFinite(schedulesPerSecond)))
            throw new IllegalArgumentException("schedulesPerSecond must be a number above 0");
    }
}

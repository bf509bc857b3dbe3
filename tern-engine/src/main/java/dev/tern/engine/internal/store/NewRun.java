package dev.tern.engine.internal.store;

import dev.tern.engine.RunLinks;
import dev.tern.engine.RunOptions;
import java.time.Instant;

/** A run to create; {@code owner} non-null means the creating node starts it at once (attempt 1). */
public record NewRun(
        String id,
        String kind,
        String name,
        String inputJson,
        Instant createdAt,
        String owner,
        Instant leaseUntil,
        RunOptions options,
        RunLinks links,
        dev.tern.engine.OrgQuota quota,
        dev.tern.engine.RunRelease release) {

    public NewRun {
        if (release == null) release = dev.tern.engine.RunRelease.NONE;
    }

    /** A run to create with no quota to check. */
    public NewRun(
            String id,
            String kind,
            String name,
            String inputJson,
            Instant createdAt,
            String owner,
            Instant leaseUntil,
            RunOptions options,
            RunLinks links) {
        this(id, kind, name, inputJson, createdAt, owner, leaseUntil, options, links, null, null);
    }

    /** The run as its insert writes it: what a read right after finds (the creator need not read it). */
    public StoredRun inserted() {
        return NewRunRow.inserted(this);
    }

    /** The organisation the run belongs to. */
    public String orgId() {
        return options.orgId() == null ? dev.tern.engine.RunRecord.DEFAULT_ORG : options.orgId();
    }

    /** The same run, created only if its organisation's {@code value} allows. */
    public NewRun withQuota(dev.tern.engine.OrgQuota value) {
        return new NewRun(id, kind, name, inputJson, createdAt, owner, leaseUntil, options, links, value, release);
    }

    /** The same run, pinned to {@code value}'s revision with its channel and snapshots. */
    public NewRun withRelease(dev.tern.engine.RunRelease value) {
        return new NewRun(id, kind, name, inputJson, createdAt, owner, leaseUntil, options, links, quota, value);
    }

    public NewRun(
            String id,
            String kind,
            String name,
            String inputJson,
            Instant createdAt,
            String owner,
            Instant leaseUntil) {
        this(id, kind, name, inputJson, createdAt, owner, leaseUntil, RunOptions.none(), RunLinks.NONE, null, null);
    }
}

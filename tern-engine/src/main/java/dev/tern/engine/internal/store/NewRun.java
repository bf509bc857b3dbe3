package dev.tern.engine.internal.store;

import dev.tern.engine.RunLinks;
import dev.tern.engine.RunOptions;
import java.time.Instant;

/**
 * A run to create; {@code owner} non-null means the creating node starts it at once (attempt 1). {@code executing}: its
 * execution has begun before its creation is durable (see {@link #executingBeforeDurable()}).
 */
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
        dev.tern.engine.RunRelease release,
        boolean executing) {

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
        this(id, kind, name, inputJson, createdAt, owner, leaseUntil, options, links, null, null, false);
    }

    /** The run as its insert writes it: what a read right after finds (the creator need not read it). */
    public StoredRun inserted() {
        return NewRunRow.inserted(this, dev.tern.engine.internal.json.Json.parse(inputJson));
    }

    /**
     * {@link #inserted()}, for a creator that holds {@code input}, the tree {@code inputJson} was written from: its
     * copy as a read would parse it, without parsing the text (a run's input may be a document of many kilobytes).
     */
    public StoredRun inserted(com.fasterxml.jackson.databind.JsonNode input) {
        return NewRunRow.inserted(this, dev.tern.engine.internal.json.Json.parsedBack(input, inputJson));
    }

    /** The organisation the run belongs to. */
    public String orgId() {
        return options.orgId() == null ? dev.tern.engine.RunRecord.DEFAULT_ORG : options.orgId();
    }

    /** The same run, created only if its organisation's {@code value} allows. */
    public NewRun withQuota(dev.tern.engine.OrgQuota value) {
        return new NewRun(
                id, kind, name, inputJson, createdAt, owner, leaseUntil, options, links, value, release, executing);
    }

    /** The same run, pinned to {@code value}'s revision with its channel and snapshots. */
    public NewRun withRelease(dev.tern.engine.RunRelease value) {
        return new NewRun(
                id, kind, name, inputJson, createdAt, owner, leaseUntil, options, links, quota, value, executing);
    }

    /**
     * The same run, whose execution on its creating node begins before its creation is durable: nothing can refuse its
     * insert (no idempotency key, no quota), so its first steps may run while it is written, and the store may hold the
     * creation a moment to commit it together with the run's first write. Its creator still waits for the creation to
     * be durable before it answers.
     */
    public NewRun executingBeforeDurable() {
        return new NewRun(
                id, kind, name, inputJson, createdAt, owner, leaseUntil, options, links, quota, release, true);
    }

    public NewRun(
            String id,
            String kind,
            String name,
            String inputJson,
            Instant createdAt,
            String owner,
            Instant leaseUntil) {
        this(
                id,
                kind,
                name,
                inputJson,
                createdAt,
                owner,
                leaseUntil,
                RunOptions.none(),
                RunLinks.NONE,
                null,
                null,
                false);
    }
}

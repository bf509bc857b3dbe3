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
        RunLinks links) {

    public NewRun(
            String id,
            String kind,
            String name,
            String inputJson,
            Instant createdAt,
            String owner,
            Instant leaseUntil) {
        this(id, kind, name, inputJson, createdAt, owner, leaseUntil, RunOptions.none(), RunLinks.NONE);
    }
}

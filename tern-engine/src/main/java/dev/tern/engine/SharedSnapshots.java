package dev.tern.engine;

import dev.tern.sdk.RunnableDefinition;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The release of runs scheduled without an option that goes into their snapshots (no model choice, deadline, budget or
 * idempotency key): the same for every such run of one definition, revision and channel on this engine, so built once
 * and shared, as the store shares the snapshots it reads (see {@link RunRelease}). Building both trees and writing them
 * as JSON, twice, was 4% of the engine's CPU per run in a profile of workload 1; shared trees also let the store write
 * each one's text once ({@code SnapshotTexts}).
 */
final class SharedSnapshots {
    /** Definitions × revisions × channels kept before the map starts over: far more than a server runs at once. */
    private static final int MAX_SHARED = 1_024;

    /** A definition by identity (the catalog's object) with the revision and channel that chose it. */
    private record Key(RunnableDefinition definition, String revision, String channel) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && k.definition == definition
                    && java.util.Objects.equals(k.revision, revision)
                    && java.util.Objects.equals(k.channel, channel);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * System.identityHashCode(definition) + java.util.Objects.hashCode(revision))
                    + java.util.Objects.hashCode(channel);
        }
    }

    private final EngineConfig config;
    private final ConcurrentHashMap<Key, RunRelease> shared = new ConcurrentHashMap<>();

    SharedSnapshots(EngineConfig config) {
        this.config = config;
    }

    /** The run's release: shared when {@code options} add nothing of their own to its snapshots, else its own. */
    RunRelease release(RunnableDefinition definition, String revision, String channel, RunOptions options) {
        if (!plain(options)) return RunSnapshots.release(config, definition, revision, channel, options);
        if (shared.size() >= MAX_SHARED) shared.clear();
        return shared.computeIfAbsent(
                new Key(definition, revision, channel),
                k -> RunSnapshots.release(config, definition, revision, channel, options));
    }

    /** True when none of the options {@link RunSnapshots} reads is set. */
    private static boolean plain(RunOptions options) {
        return options.model() == null
                && options.deadlineAt() == null
                && options.budget() == null
                && options.idempotencyKey() == null;
    }
}

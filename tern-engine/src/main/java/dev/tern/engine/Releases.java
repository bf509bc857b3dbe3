package dev.tern.engine;

import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.ReleaseStore;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.sdk.RunnableDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Revisions and release channels on one node. At start the node tells the store which revisions it has loaded (so it
 * claims only runs it can replay, and other nodes can tell a run nobody can take); a new run starts on the revision its
 * release channel names for its definition, else the newest loaded here.
 */
public final class Releases {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Releases.class);
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    /** How long a channel read from the store is used before it is read again. */
    private static final Duration CHANNELS_MAX_AGE = Duration.ofSeconds(1);

    private final ReleaseStore store;
    private final DefinitionCatalog catalog;
    private final EngineConfig config;
    private final Clock clock;
    private volatile Cached cached;

    private record Cached(List<ReleaseStore.Channel> channels, Instant readAt) {}

    /** A channel's revision of one definition. */
    public record Channel(String name, String definition, String revision, Instant updatedAt) {}

    /** How many unfinished runs of one revision are queued or running. */
    public record RevisionCount(String definition, String revision, String status, long count) {}

    Releases(ReleaseStore store, DefinitionCatalog catalog, EngineConfig config) {
        this.store = store;
        this.catalog = catalog;
        this.config = config;
        this.clock = config.clock();
    }

    /**
     * Restricts this node's claims to the revisions it has loaded, records them for other nodes, and counts runs per
     * revision on {@code metrics}.
     */
    void start(RunStore runs, dev.tern.engine.internal.telemetry.EngineMetrics metrics) {
        Map<String, List<String>> loaded = catalog.loadedRevisions();
        runs.claimOnly(loaded);
        Futures.await(store.register(config.nodeId(), loaded, clock.instant()));
        metrics.runsByRevision(loaded, () -> countsFor(loaded), Duration.ofSeconds(5));
    }

    private Map<String, Long> countsFor(Map<String, List<String>> loaded) {
        Map<String, Long> out = new java.util.HashMap<>();
        for (ReleaseStore.RevisionCount c : store.unfinishedByRevision()) {
            boolean here = loaded.getOrDefault(c.definition(), List.of()).contains(c.revision());
            String key = here ? c.definition() + "/" + c.revision() + "/" + c.status() : "/" + c.status();
            out.merge(key, c.count(), Long::sum);
        }
        return out;
    }

    /** Tells other nodes this one no longer has its revisions loaded (a graceful stop; a crash ages out). */
    void stop() {
        try {
            Futures.await(store.register(config.nodeId(), Map.of(), clock.instant()));
        } catch (RuntimeException e) {
            log.debug("could not withdraw this node's revisions: {}", e.toString());
        }
    }

    /** Whether {@code name} may name a channel. */
    static boolean isChannelName(String name) {
        return name != null && CHANNEL.matcher(name).matches();
    }

    /** {@code name} if it is a valid channel name. */
    static String checkChannel(String name) {
        if (name == null || !CHANNEL.matcher(name).matches())
            throw new IllegalArgumentException("invalid release channel '" + name
                    + "': use a letter, then letters, digits, '_', '.' or '-' (at most 64)");
        return name;
    }

    /** The channel a new run goes by and the revision it names for {@code newest}'s definition, if loaded here. */
    record Pick(String channel, RunnableDefinition definition, String revision) {}

    Pick pick(RunnableDefinition newest, String requested) {
        String channel = requested != null ? requested : config.releaseChannel();
        List<ReleaseStore.Channel> all = channels(false);
        if (requested != null && !requested.equals(EngineConfig.DEFAULT_CHANNEL)) {
            if (!CHANNEL.matcher(requested).matches()
                    || all.stream().noneMatch(c -> c.name().equals(requested)))
                throw new InvalidInputException(
                        "release channel '" + requested + "' does not exist",
                        List.of(new Violation("$.releaseChannel", "no release channel named '" + requested + "'")));
        }
        String revision = all.stream()
                .filter(c -> c.name().equals(channel) && c.definition().equals(newest.name()))
                .map(ReleaseStore.Channel::revision)
                .findFirst()
                .orElse(newest.revision());
        // a revision no node here has loaded still pins the run (it waits for a node that has it); its input is
        // checked against the newest revision's schema
        return new Pick(channel, catalog.findRevision(newest.name(), revision).orElse(newest), revision);
    }

    private List<ReleaseStore.Channel> channels(boolean fresh) {
        Cached c = cached;
        Instant now = clock.instant();
        if (fresh || c == null || c.readAt().plus(CHANNELS_MAX_AGE).isBefore(now)) {
            c = new Cached(store.channels(), now);
            cached = c;
        }
        return c.channels();
    }

    /** Every channel entry, by channel then definition. */
    public List<Channel> channels() {
        return channels(true).stream()
                .map(c -> new Channel(c.name(), c.definition(), c.revision(), c.updatedAt()))
                .toList();
    }

    /**
     * Points channel {@code name} at {@code revision} of {@code definition}: the revision must be loaded on this node
     * or on a live one.
     */
    public Channel setChannel(String name, String definition, String revision) {
        if (name == null || !CHANNEL.matcher(name).matches())
            throw new InvalidInputException(
                    "invalid release channel name '" + name + "'",
                    List.of(new Violation("name", "use a letter, then letters, digits, '_', '.' or '-' (at most 64)")));
        if (definition == null || catalog.find(definition).isEmpty())
            throw new InvalidInputException(
                    "no agent or workflow named '" + definition + "'",
                    List.of(new Violation("$.definition", "must name an agent or workflow")));
        Instant now = clock.instant();
        if (revision == null
                || (catalog.findRevision(definition, revision).isEmpty() && !liveElsewhere(definition, revision, now)))
            throw new InvalidInputException(
                    "revision '" + revision + "' of '" + definition + "' is not loaded on any live node",
                    List.of(new Violation(
                            "$.revision",
                            "must be one of " + catalog.loadedRevisions().get(definition))));
        Futures.await(store.setChannel(name, definition, revision, now));
        cached = null;
        return new Channel(name, definition, revision, now);
    }

    /**
     * Whether the unfinished run waits because no live node has its revision loaded (this one included): its views say
     * {@code revision_unavailable}.
     */
    public boolean unavailable(RunRecord run) {
        String revision = run.release().revision();
        if (revision == null || run.status().isTerminal() || run.waiting().onHuman()) return false;
        if (catalog.findRevision(run.name(), revision).isPresent()) return false;
        return !liveElsewhere(run.name(), revision, clock.instant());
    }

    private boolean liveElsewhere(String definition, String revision, Instant now) {
        Instant since = now.minus(config.leaseDuration().multipliedBy(2));
        return store.liveElsewhere(config.nodeId(), definition, revision, since);
    }

    /** Unfinished runs per definition, revision and status ({@code queued} or {@code running}). */
    public List<RevisionCount> unfinishedByRevision() {
        return store.unfinishedByRevision().stream()
                .map(c -> new RevisionCount(c.definition(), c.revision(), c.status(), c.count()))
                .toList();
    }
}

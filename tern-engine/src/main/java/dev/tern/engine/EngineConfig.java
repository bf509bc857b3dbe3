package dev.tern.engine;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How an engine runs: which store ({@code databaseUrl} for PostgreSQL, else SQLite under {@code dataDir}), this node's
 * id, how many runs execute at once, and its timings.
 *
 * @param pollInterval how often the node looks for due work it was not told about
 * @param leaseDuration how long a node owns a run without renewing; after that another node takes it over
 * @param suspendGrace how long a waiting run keeps its thread before it suspends and frees it
 * @param fsync SQLite only: fsync on every commit (durable across power loss, not just process crashes)
 * @param continueAsNewAfterSteps an agent whose run has recorded this many steps continues as a new run (state carried
 *     over, same agent id) so replay stays short; 0 = never
 * @param webhooks how webhook deliveries are signed and retried
 * @param model the language model agents call ({@code null}: none; definitions that need one are refused)
 * @param clock where the engine reads the time: the system's, or a {@link ManualClock} in tests that skip time
 * @param observability where metrics and traces go (default: Micrometer's and OpenTelemetry's global ones)
 * @param quotas each organisation's quota, asked when one of its runs is created (default: none limits anything)
 * @param retention finished runs older than this are deleted with all their rows ({@code null}, the default: kept)
 * @param releaseChannel the release channel of runs scheduled through this node without one (default {@code default})
 */
public record EngineConfig(
        String databaseUrl,
        Path dataDir,
        String nodeId,
        int maxActiveRuns,
        Duration pollInterval,
        Duration leaseDuration,
        Duration suspendGrace,
        boolean fsync,
        int continueAsNewAfterSteps,
        WebhookSettings webhooks,
        dev.tern.sdk.ModelEndpoint model,
        java.time.Clock clock,
        Observability observability,
        java.util.function.Function<String, OrgQuota> quotas,
        Duration retention,
        String releaseChannel) {

    public EngineConfig {
        if (databaseUrl == null) Objects.requireNonNull(dataDir, "dataDir (or a databaseUrl)");
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "database URL must start with jdbc:postgresql: (was " + databaseUrl + ")");
        }
        Objects.requireNonNull(nodeId, "nodeId");
        if (maxActiveRuns < 1) throw new IllegalArgumentException("maxActiveRuns must be >= 1");
        requirePositive(pollInterval, "pollInterval");
        requirePositive(leaseDuration, "leaseDuration");
        Objects.requireNonNull(suspendGrace, "suspendGrace");
        if (continueAsNewAfterSteps < 0) throw new IllegalArgumentException("continueAsNewAfterSteps must be >= 0");
        Objects.requireNonNull(webhooks, "webhooks");
        Objects.requireNonNull(clock, "clock");
        if (observability == null) observability = Observability.global();
        if (quotas == null) quotas = org -> OrgQuota.UNLIMITED;
        if (retention != null) requirePositive(retention, "retention");
        if (releaseChannel == null || releaseChannel.isBlank()) releaseChannel = DEFAULT_CHANNEL;
        else Releases.checkChannel(releaseChannel);
    }

    /** The release channel of a node started without one. */
    public static final String DEFAULT_CHANNEL = "default";

    /**
     * Default for {@link #continueAsNewAfterSteps}: long enough to be rare, short enough that a replay stays in
     * milliseconds.
     */
    public static final int DEFAULT_CONTINUE_AS_NEW_AFTER_STEPS = 2_000;

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) throw new IllegalArgumentException(name + " must be positive");
    }

    /** SQLite under {@code dataDir}, with defaults for everything else. */
    public static EngineConfig embedded(Path dataDir) {
        return new EngineConfig(
                null,
                dataDir,
                defaultNodeId(),
                10_000,
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                true,
                DEFAULT_CONTINUE_AS_NEW_AFTER_STEPS,
                WebhookSettings.defaults(),
                null,
                java.time.Clock.systemUTC(),
                Observability.global(),
                null,
                null,
                null);
    }

    /** PostgreSQL at {@code jdbcUrl}, with defaults for everything else. */
    public static EngineConfig postgres(String jdbcUrl) {
        dev.tern.engine.internal.store.StoreFactory.checkPostgresUrl(jdbcUrl);
        return new EngineConfig(
                jdbcUrl,
                null,
                defaultNodeId(),
                10_000,
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                true,
                DEFAULT_CONTINUE_AS_NEW_AFTER_STEPS,
                WebhookSettings.defaults(),
                null,
                java.time.Clock.systemUTC(),
                Observability.global(),
                null,
                null,
                null);
    }

    /** Host name plus a random suffix, so two nodes on one host differ. */
    public static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
    }

    public EngineConfig withNodeId(String value) {
        return copy(c -> c.nodeId = value);
    }

    public EngineConfig withMaxActiveRuns(int value) {
        return copy(c -> c.maxActiveRuns = value);
    }

    public EngineConfig withPollInterval(Duration value) {
        return copy(c -> c.pollInterval = value);
    }

    public EngineConfig withLeaseDuration(Duration value) {
        return copy(c -> c.leaseDuration = value);
    }

    public EngineConfig withSuspendGrace(Duration value) {
        return copy(c -> c.suspendGrace = value);
    }

    public EngineConfig withWebhooks(WebhookSettings value) {
        return copy(c -> c.webhooks = value);
    }

    /** Signs webhook deliveries with {@code secret} (see {@link WebhookSettings}). */
    public EngineConfig withWebhookSecret(String secret) {
        return withWebhooks(webhooks.withSecret(secret));
    }

    /** Lets agents call the language model at {@code value} ({@code null}: none). */
    public EngineConfig withModel(dev.tern.sdk.ModelEndpoint value) {
        return copy(c -> c.model = value);
    }

    public EngineConfig withFsync(boolean value) {
        return copy(c -> c.fsync = value);
    }

    public EngineConfig withContinueAsNewAfterSteps(int value) {
        return copy(c -> c.continueAsNewAfterSteps = value);
    }

    /** Reads the time from {@code value} instead of the system clock (a {@link ManualClock} lets tests skip time). */
    public EngineConfig withClock(java.time.Clock value) {
        return copy(c -> c.clock = value);
    }

    /** Sends metrics and traces where {@code value} says ({@link Observability#none()}: nowhere). */
    public EngineConfig withObservability(Observability value) {
        return copy(c -> c.observability = value);
    }

    /** Asks {@code value} for an organisation's quota each time one of its runs is created (a server's tokens file). */
    public EngineConfig withQuotas(java.util.function.Function<String, OrgQuota> value) {
        return copy(c -> c.quotas = value);
    }

    /**
     * Deletes finished runs (completed, failed, cancelled) once they finished longer than {@code value} ago, with all
     * their rows, in small batches in the background ({@code null}: keep every run).
     */
    public EngineConfig withRetention(Duration value) {
        return copy(c -> c.retention = value);
    }

    /** Names the release channel of runs scheduled through this node without one (see {@link Releases}). */
    public EngineConfig withReleaseChannel(String value) {
        return copy(c -> c.releaseChannel = value);
    }

    /** The fields of a config being changed by one of the withers. */
    private static final class Fields {
        String databaseUrl;
        Path dataDir;
        String nodeId;
        int maxActiveRuns;
        Duration pollInterval;
        Duration leaseDuration;
        Duration suspendGrace;
        boolean fsync;
        int continueAsNewAfterSteps;
        WebhookSettings webhooks;
        dev.tern.sdk.ModelEndpoint model;
        java.time.Clock clock;
        Observability observability;
        java.util.function.Function<String, OrgQuota> quotas;
        Duration retention;
        String releaseChannel;
    }

    private EngineConfig copy(java.util.function.Consumer<Fields> change) {
        Fields f = new Fields();
        f.databaseUrl = databaseUrl;
        f.dataDir = dataDir;
        f.nodeId = nodeId;
        f.maxActiveRuns = maxActiveRuns;
        f.pollInterval = pollInterval;
        f.leaseDuration = leaseDuration;
        f.suspendGrace = suspendGrace;
        f.fsync = fsync;
        f.continueAsNewAfterSteps = continueAsNewAfterSteps;
        f.webhooks = webhooks;
        f.model = model;
        f.clock = clock;
        f.observability = observability;
        f.quotas = quotas;
        f.retention = retention;
        f.releaseChannel = releaseChannel;
        change.accept(f);
        return new EngineConfig(
                f.databaseUrl,
                f.dataDir,
                f.nodeId,
                f.maxActiveRuns,
                f.pollInterval,
                f.leaseDuration,
                f.suspendGrace,
                f.fsync,
                f.continueAsNewAfterSteps,
                f.webhooks,
                f.model,
                f.clock,
                f.observability,
                f.quotas,
                f.retention,
                f.releaseChannel);
    }
}

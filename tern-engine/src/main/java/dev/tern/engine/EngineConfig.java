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
        java.time.Clock clock) {

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
    }

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
                java.time.Clock.systemUTC());
    }

    /** PostgreSQL at {@code jdbcUrl}, with defaults for everything else. */
    public static EngineConfig postgres(String jdbcUrl) {
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
                java.time.Clock.systemUTC());
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
        return new EngineConfig(
                databaseUrl,
                dataDir,
                value,
                maxActiveRuns,
                pollInterval,
                leaseDuration,
                suspendGrace,
                fsync,
                continueAsNewAfterSteps,
                webhooks,
                model,
                clock);
    }

    public EngineConfig withMaxActiveRuns(int value) {
        return new EngineConfig(
                databaseUrl,
                dataDir,
                nodeId,
                value,
                pollInterval,
                leaseDuration,
                suspendGrace,
                fsync,
                continueAsNewAfterSteps,
                webhooks,
                model,
                clock);
    }

    public EngineConfig withPollInterval(Duration value) {
        return new EngineConfig(
                databaseUrl,
                dataDir,
                nodeId,
                maxActiveRuns,
                value,
                leaseDuration,
                suspendGrace,
                fsync,
                continueAsNewAfterSteps,
                webhooks,
                model,
                clock);
    }

    public EngineConfig withLeaseDuration(Duration value) {
        return new EngineConfig(
                databaseUrl,
                dataDir,
                nodeId,
                maxActiveRuns,
                pollInterval,
                value,
                suspendGrace,
                fsync,
                continueAsNewAfterSteps,
                webhooks,
                model,
                clock);
    }

    public EngineConfig withSuspendGrace(Duration value) {
        return new EngineConfig(
                databaseUrl,
                dataDir,
                nodeId,
                maxActiveRuns,
                pollInterval,
                leaseDuration,
                value,
                fsync,
                continueAsNewAfterSteps,
                webhooks,
                model,
                clock);
    }

    public EngineConfig withWebhooks(WebhookSettings value) {
        return new EngineConfig(
                databaseUrl,
                dataDir,
                nodeId,
                maxActiveRuns,
                pollInterval,
                leaseDuration,
                suspendGrace,
                fsync,
                continueAsNewAfterSteps,
                value,
                model,
                clock);
    }

    /** Signs webhook deliveries with {@code secret} (see {@link WebhookSettings}). */
    public EngineConfig withWebhookSecret(String secret) {
        return withWebhooks(webhooks.withSecret(secret));
    }

    /** Lets agents call the language model at {@code value} ({@code null}: none). */
    public EngineConfig withModel(dev.tern.sdk.ModelEndpoint value) {
        return new EngineConfig(
                databaseUrl,
                dataDir,
                nodeId,
                maxActiveRuns,
                pollInterval,
                leaseDuration,
                suspendGrace,
                fsync,
                continueAsNewAfterSteps,
                webhooks,
                value,
                clock);
    }

    public EngineConfig withFsync(boolean value) {
        return new EngineConfig(
                databaseUrl,
                dataDir,
                nodeId,
                maxActiveRuns,
                pollInterval,
                leaseDuration,
                suspendGrace,
                value,
                continueAsNewAfterSteps,
                webhooks,
                model,
                clock);
    }

    public EngineConfig withContinueAsNewAfterSteps(int value) {
        return new EngineConfig(
                databaseUrl,
                dataDir,
                nodeId,
                maxActiveRuns,
                pollInterval,
                leaseDuration,
                suspendGrace,
                fsync,
                value,
                webhooks,
                model,
                clock);
    }

    /** Reads the time from {@code value} instead of the system clock (a {@link ManualClock} lets tests skip time). */
    public EngineConfig withClock(java.time.Clock value) {
        return new EngineConfig(
                databaseUrl,
                dataDir,
                nodeId,
                maxActiveRuns,
                pollInterval,
                leaseDuration,
                suspendGrace,
                fsync,
                continueAsNewAfterSteps,
                webhooks,
                model,
                value);
    }
}

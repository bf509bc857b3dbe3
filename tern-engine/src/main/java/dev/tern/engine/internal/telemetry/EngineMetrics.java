package dev.tern.engine.internal.telemetry;

import dev.tern.engine.RunStatus;
import dev.tern.sdk.GenAiOperation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The engine's meters, named for Prometheus ({@code tern.runs.started} is scraped as {@code tern_runs_started_total}).
 * Meters are looked up once per label set and kept, so the hot path pays a map read and an atomic add. No label holds a
 * run id; names a client or the code chooses (step names, model names) are capped at {@link #MAX_LABEL_VALUES} distinct
 * values per label, after which they are counted as {@code _other}.
 */
public final class EngineMetrics implements dev.tern.engine.internal.store.CommitListener {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EngineMetrics.class);
    /** How many distinct step or model names a label takes before further ones count as {@code _other}. */
    static final int MAX_LABEL_VALUES = 500;

    static final String OTHER = "_other";

    private static final Duration[] STEP_BUCKETS =
            durations(1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000);
    /** The bucket bounds the GenAI semantic conventions advise for token counts and operation durations. */
    private static final double[] TOKEN_BUCKETS = {
        1, 4, 16, 64, 256, 1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864
    };

    private static final Duration[] GEN_AI_DURATION_BUCKETS =
            durations(10, 20, 40, 80, 160, 320, 640, 1_280, 2_560, 5_120, 10_240, 20_480, 40_960, 81_920);

    private final MeterRegistry registry;
    private final java.util.List<Gauge> gauges = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<Object, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Object, Timer> timers = new ConcurrentHashMap<>();
    private final Map<Object, DistributionSummary> summaries = new ConcurrentHashMap<>();
    private final LabelCap stepNames = new LabelCap();
    private final LabelCap modelNames = new LabelCap();
    private final Counter scheduleFires;
    private final Counter leasesTakenOver;
    private final Counter runsDeleted;
    private final Timer commits;
    private final DistributionSummary batchSizes;
    private final Counter deadlocks;

    private static final String CLAIMED_NEW = "new";
    private static final String CLAIMED_RESUMED = "resumed";
    private static final String CLAIMED_TAKEN_OVER = "taken_over";
    private final Map<String, Counter> runsClaimed = new HashMap<>();

    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.scheduleFires = Counter.builder("tern.schedule.fires")
                .description("Runs started by schedules")
                .register(registry);
        this.leasesTakenOver = Counter.builder("tern.leases.taken.over")
                .description("Runs this node took over after their owner's lease expired (the owner died or stalled)")
                .register(registry);
        for (String reason : List.of(CLAIMED_NEW, CLAIMED_RESUMED, CLAIMED_TAKEN_OVER)) {
            runsClaimed.put(
                    reason,
                    Counter.builder("tern.runs.claimed")
                            .description("Runs this node took from the store to execute: new (queued for any node), "
                                    + "resumed (woken from a suspension), taken_over (from a node that died)")
                            .tag("reason", reason)
                            .register(registry));
        }
        this.runsDeleted = Counter.builder("tern.runs.deleted")
                .description("Finished runs deleted, with all their rows, because they were older than the retention")
                .register(registry);
        this.commits = Timer.builder("tern.store.commit")
                .description("Time to commit one group-commit batch")
                .serviceLevelObjectives(durations(1, 2, 5, 10, 25, 50, 100, 250, 1_000))
                .register(registry);
        this.deadlocks = Counter.builder("tern.store.deadlocks")
                .description(
                        "Store transactions the database aborted to break a deadlock (their writes are tried again)")
                .register(registry);
        this.batchSizes = DistributionSummary.builder("tern.store.batch.size")
                .description("Writes committed together in one transaction")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
                .register(registry);
    }

    private record RunKey(String metric, String kind, String name, String status) {}

    private record StepKey(String name, String type, String outcome) {}

    private record ModelKey(String provider, String requestModel, String responseModel, String tokenType) {}

    /** A run was created (scheduled, started as a child, fired by a schedule, continued as new). */
    public void runStarted(String kind, String name) {
        counters.computeIfAbsent(
                        new RunKey("started", kind, name, null),
                        k -> Counter.builder("tern.runs.started")
                                .description("Runs created")
                                .tag("kind", kind)
                                .tag("name", name)
                                .register(registry))
                .increment();
    }

    /** A run ended: completed, failed or cancelled. */
    public void runFinished(String kind, String name, RunStatus status) {
        String wire = status.wireName();
        counters.computeIfAbsent(
                        new RunKey("finished", kind, name, wire),
                        k -> Counter.builder("tern.runs.finished")
                                .description("Runs that ended, by final status")
                                .tag("kind", kind)
                                .tag("name", name)
                                .tag("status", wire)
                                .register(registry))
                .increment();
    }

    /** A step executed live and ended ({@code outcome}: completed or failed), after {@code nanos} in all. */
    public void stepFinished(String name, String type, String outcome, long nanos) {
        StepKey key = new StepKey(stepNames.admit(name), type, outcome);
        timers.computeIfAbsent(
                        key,
                        k -> Timer.builder("tern.step.duration")
                                .description("Duration of live steps, retries included")
                                .tag("name", key.name())
                                .tag("type", key.type())
                                .tag("outcome", key.outcome())
                                .serviceLevelObjectives(STEP_BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A step attempt failed and will be tried again. */
    public void stepRetried(String name, String type) {
        StepKey key = new StepKey(stepNames.admit(name), type, "retry");
        counters.computeIfAbsent(
                        key,
                        k -> Counter.builder("tern.step.retries")
                                .description("Step attempts that failed and were retried")
                                .tag("name", key.name())
                                .tag("type", key.type())
                                .register(registry))
                .increment();
    }

    public void scheduleFired() {
        scheduleFires.increment();
    }

    /** Finished runs deleted by retention ({@code tern_runs_deleted_total}). */
    public void runsDeleted(int count) {
        runsDeleted.increment(count);
    }

    /** One webhook delivery attempt ended: {@code delivered}, {@code retrying} or {@code failed} (given up). */
    public void webhookDelivery(String outcome) {
        counters.computeIfAbsent(
                        new RunKey("webhook", null, null, outcome),
                        k -> Counter.builder("tern.webhook.deliveries")
                                .description("Webhook delivery attempts, by outcome")
                                .tag("outcome", outcome)
                                .register(registry))
                .increment();
    }

    /**
     * This node claimed a run in its {@code attempt}: {@code resumed} from a suspension, else new (its first attempt)
     * or taken over from a node whose lease expired (a later one, also counted as {@code tern.leases.taken.over}).
     */
    public void runClaimed(boolean resumed, int attempt) {
        boolean takenOver = !resumed && attempt > 1;
        if (takenOver) leasesTakenOver.increment();
        runsClaimed
                .get(resumed ? CLAIMED_RESUMED : takenOver ? CLAIMED_TAKEN_OVER : CLAIMED_NEW)
                .increment();
    }

    /** One group-commit transaction of {@code writes} writes took {@code nanos}. */
    @Override
    public void committed(long nanos, int writes) {
        commits.record(nanos, TimeUnit.NANOSECONDS);
        batchSizes.record(writes);
    }

    @Override
    public void deadlockBroken() {
        deadlocks.increment();
    }

    /** A model call ended after {@code nanos}: its duration and tokens, per the GenAI semantic conventions. */
    public void modelCall(GenAiOperation.ModelCall call, long nanos) {
        String provider = call.provider() == null ? "unknown" : call.provider();
        String requested = modelNames.admit(call.requestModel() == null ? "unknown" : call.requestModel());
        String answered = call.responseModel() == null ? requested : modelNames.admit(call.responseModel());
        ModelKey key = new ModelKey(provider, requested, answered, null);
        timers.computeIfAbsent(
                        key,
                        k -> Timer.builder("gen_ai.client.operation.duration")
                                .description("GenAI operation duration")
                                .tags(genAiTags(key))
                                .serviceLevelObjectives(GEN_AI_DURATION_BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        tokens(new ModelKey(provider, requested, answered, "input")).record(call.inputTokens());
        tokens(new ModelKey(provider, requested, answered, "output")).record(call.outputTokens());
    }

    private DistributionSummary tokens(ModelKey key) {
        return summaries.computeIfAbsent(
                key,
                k -> DistributionSummary.builder("gen_ai.client.token.usage")
                        .description("Tokens used per model call, by token type")
                        .tags(genAiTags(key))
                        .tag("gen_ai.token.type", key.tokenType())
                        .serviceLevelObjectives(TOKEN_BUCKETS)
                        .register(registry));
    }

    private static String[] genAiTags(ModelKey k) {
        return new String[] {
            "gen_ai.operation.name", "chat",
            "gen_ai.provider.name", k.provider(),
            "gen_ai.request.model", k.requestModel(),
            "gen_ai.response.model", k.responseModel()
        };
    }

    /** {@code tern_node_runs_executing}: runs executing on this node now. */
    public <T> void executingOnThisNode(T source, ToDoubleFunction<T> count) {
        gauges.add(Gauge.builder("tern.node.runs.executing", source, count)
                .description("Runs executing on this node now (each holds a thread)")
                .strongReference(true)
                .register(registry));
    }

    /**
     * {@code tern_runs_active} and {@code tern_runs_waiting{reason}}: the store's unfinished runs, read when scraped
     * (at most once per {@code maxAge}). Every node of a cluster reports the same numbers; aggregate with {@code max}.
     */
    public void unfinishedRuns(Supplier<Map<String, Long>> counts, Duration maxAge) {
        CachedCounts cached = new CachedCounts(counts, maxAge);
        gauges.add(Gauge.builder("tern.runs.active", cached, c -> c.get("running"))
                .description("Runs executing somewhere in the cluster (not waiting)")
                .strongReference(true)
                .register(registry));
        gauges.add(Gauge.builder("tern.runs.queued", cached, c -> c.get("queued"))
                .description("Runs due to start, waiting for a free slot on some node")
                .strongReference(true)
                .register(registry));
        for (String reason : new String[] {"sleep", "event", "human", "limit", "child"}) {
            gauges.add(Gauge.builder("tern.runs.waiting", cached, c -> c.get(reason))
                    .description("Runs waiting, by what they wait for")
                    .tag("reason", reason)
                    .strongReference(true)
                    .register(registry));
        }
    }

    /**
     * {@code tern_runs_by_revision{definition,revision,status}}: unfinished runs ({@code queued} or {@code running},
     * waits included) of each revision loaded on this node, and {@code tern_runs_other_revisions{status}} of those
     * pinned to revisions this node has not loaded (which it never takes), read as {@link #unfinishedRuns} is. The
     * counts are keyed {@code definition/revision/status}, and {@code /status} for the others.
     */
    public void runsByRevision(Map<String, List<String>> loaded, Supplier<Map<String, Long>> counts, Duration maxAge) {
        CachedCounts cached = new CachedCounts(counts, maxAge);
        LabelCap cap = new LabelCap();
        for (String status : new String[] {"queued", "running"}) {
            loaded.forEach((definition, revisions) -> {
                for (String revision : revisions) {
                    if (cap.admit(definition + "/" + revision).equals(OTHER)) continue;
                    String key = definition + "/" + revision + "/" + status;
                    gauges.add(Gauge.builder("tern.runs.by.revision", cached, c -> c.get(key))
                            .description("Unfinished runs per revision of their definition")
                            .tags("definition", definition, "revision", revision, "status", status)
                            .strongReference(true)
                            .register(registry));
                }
            });
            gauges.add(Gauge.builder("tern.runs.other.revisions", cached, c -> c.get("/" + status))
                    .description("Unfinished runs pinned to revisions this node has not loaded")
                    .tag("status", status)
                    .strongReference(true)
                    .register(registry));
        }
    }

    /**
     * Removes the gauges this engine registered: they read its store and its dispatcher, which close with it (another
     * engine on the same registry registers its own).
     */
    public void close() {
        for (Gauge g : gauges) registry.remove(g);
        gauges.clear();
    }

    private static Duration[] durations(long... millis) {
        Duration[] out = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) out[i] = Duration.ofMillis(millis[i]);
        return out;
    }

    /** Admits up to {@link #MAX_LABEL_VALUES} distinct values of a label; later ones become {@link #OTHER}. */
    private static final class LabelCap {
        private final Map<String, Boolean> seen = new ConcurrentHashMap<>();

        String admit(String value) {
            if (seen.containsKey(value)) return value;
            if (seen.size() >= MAX_LABEL_VALUES) return OTHER;
            seen.putIfAbsent(value, Boolean.TRUE);
            return value;
        }
    }

    /** The store's counts, read again only when older than {@code maxAge} (a scrape reads every gauge in a row). */
    private static final class CachedCounts {
        private final Supplier<Map<String, Long>> source;
        private final long maxAgeNanos;
        private Map<String, Long> counts = Map.of();
        private long readAt;
        private boolean read;

        CachedCounts(Supplier<Map<String, Long>> source, Duration maxAge) {
            this.source = source;
            this.maxAgeNanos = maxAge.toNanos();
        }

        synchronized double get(String state) {
            long now = System.nanoTime();
            if (!read || now - readAt > maxAgeNanos) {
                try {
                    counts = source.get();
                } catch (RuntimeException e) {
                    log.debug("unfinished runs not counted: {}", e.toString());
                    return Double.NaN; // the store does not answer: the gauge says so instead of a stale number
                }
                readAt = now;
                read = true;
            }
            return counts.getOrDefault(state, 0L);
        }
    }
}

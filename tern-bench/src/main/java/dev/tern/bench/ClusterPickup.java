package dev.tern.bench;

import dev.tern.engine.EngineConfig;
import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Schedule-to-start and wake-up latency on an idle two-node PostgreSQL cluster. A third node, the gateway, takes the
 * API calls but has no free slot, so every run must reach node A or B through the database: a schedule through
 * {@code LISTEN/NOTIFY} and a claim, an event through the same path to a run suspended with no owner. Prints medians
 * and p90 in milliseconds.
 */
public final class ClusterPickup {
    public record Id(int id) {}

    private static final Map<Integer, Long> STARTED = new ConcurrentHashMap<>();
    private static final CountDownLatch BLOCKER = new CountDownLatch(1);

    private ClusterPickup() {}

    static Definitions definitions() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of(
                        "pickup", Id.class, Id.class, (ctx, in) -> ctx.step("mark", Id.class, () -> mark(in))))
                .workflow(WorkflowDefinition.of("wake", Id.class, Id.class, (ctx, in) -> {
                    ctx.awaitEvent("go", Id.class);
                    return ctx.step("mark", Id.class, () -> mark(in));
                }))
                .workflow(WorkflowDefinition.of(
                        "blocker",
                        Id.class,
                        Id.class,
                        (ctx, in) -> ctx.step("hold", Id.class, () -> {
                            BLOCKER.await();
                            return in;
                        })))
                .build();
    }

    private static Id mark(Id in) {
        STARTED.putIfAbsent(in.id(), System.nanoTime());
        return in;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        PostgresDatabase database =
                new PostgresDatabase(System.getenv().getOrDefault("TERN_BENCH_PG_URL", PostgresDatabase.DEFAULT_URL));
        String schema = PostgresDatabase.newSchema();
        try (var c = database.connect();
                var st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        try {
            String url = database.engineUrl(schema);
            EngineConfig base = EngineConfig.postgres(url)
                    .withSuspendGrace(Duration.ofMillis(20))
                    .withFsync(true);
            try (TernEngine a = TernEngine.start(base.withNodeId("node-a"), definitions());
                    TernEngine b = TernEngine.start(base.withNodeId("node-b"), definitions());
                    TernEngine gateway = TernEngine.start(
                            base.withNodeId("gateway").withMaxActiveRuns(1).withPollInterval(Duration.ofHours(1)),
                            definitions())) {
                String blocker = gateway.start("blocker", new Id(-1));
                while (gateway.requireRun(blocker).status() != RunStatus.RUNNING) Thread.sleep(5);

                List<Double> pickup = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    String id = gateway.start("pickup", new Id(i));
                    long acked = System.nanoTime();
                    gateway.awaitCompletion(id, Duration.ofSeconds(30));
                    pickup.add((STARTED.get(i) - acked) / 1e6);
                    if (i == 0) System.out.printf("first schedule acknowledged in %.1f ms%n", (acked - t0) / 1e6);
                    Thread.sleep(10);
                }

                List<Double> wake = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int key = 1_000_000 + i;
                    String id = gateway.start("wake", new Id(key));
                    while (!gateway.requireRun(id).suspended()) Thread.sleep(2);
                    long sent = System.nanoTime();
                    gateway.send(id, "go", new Id(key));
                    long acked = System.nanoTime();
                    gateway.awaitCompletion(id, Duration.ofSeconds(30));
                    wake.add((STARTED.get(key) - acked) / 1e6);
                    if (i == 0) System.out.printf("first event acknowledged in %.1f ms%n", (acked - sent) / 1e6);
                }
                BLOCKER.countDown();
                System.out.printf(
                        "idle 2-node cluster on PostgreSQL, %d samples each (ms after the API call returned):%n", n);
                System.out.printf(
                        "  schedule -> first step starts on another node: p50 %.1f  p90 %.1f  max %.1f%n",
                        pct(pickup, 50), pct(pickup, 90), pct(pickup, 100));
                System.out.printf(
                        "  event to a suspended run -> handler step starts: p50 %.1f  p90 %.1f  max %.1f%n",
                        pct(wake, 50), pct(wake, 90), pct(wake, 100));
            }
        } finally {
            database.dropSchema(schema);
        }
    }

    private static double pct(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index));
    }
}

package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.store.StoreFactory;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.WorkflowDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two nodes on one PostgreSQL schema fire the same schedules: every fire starts exactly one run, on one node. */
class ScheduleClusterTest {
    record Tick(String label) {}

    record Out(String node) {}

    final String schema = PostgresTestDatabase.newSchema();
    final List<TernEngine> nodes = new ArrayList<>();
    final Map<String, String> executedOn = new ConcurrentHashMap<>();

    TernEngine node(String id) {
        Definitions definitions = Definitions.builder()
                .workflow(WorkflowDefinition.of("tick", Tick.class, Out.class, (ctx, in) -> {
                    ctx.step("mark", String.class, () -> executedOn.put(ctx.runId(), id));
                    return new Out(id);
                }))
                .build();
        EngineConfig config = EngineConfig.postgres(PostgresTestDatabase.url(schema))
                .withNodeId(id)
                .withLeaseDuration(Duration.ofSeconds(2))
                .withPollInterval(Duration.ofMillis(100));
        TernEngine engine = TernEngine.start(config, definitions);
        nodes.add(engine);
        return engine;
    }

    @AfterEach
    void cleanUp() {
        for (TernEngine n : nodes.reversed()) n.close();
        PostgresTestDatabase.drop(schema);
    }

    @Test
    void eachFireStartsExactlyOneRunAcrossNodes() throws Exception {
        TernEngine a = node("node-a");
        TernEngine b = node("node-b");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TernEngine via = i % 2 == 0 ? a : b;
            ids.add(via.schedules()
                    .create(ScheduleSpec.every("tick", Json.tree(new Tick("s" + i)), Duration.ofSeconds(1)))
                    .id());
        }
        Thread.sleep(4_500);
        for (String id : ids) a.schedules().pause(id);
        Thread.sleep(300);

        List<RunRecord> runs =
                a.runs(new RunQuery(null, "tick", null, 500, null)).runs();
        Set<String> keys = runs.stream().map(RunRecord::idempotencyKey).collect(Collectors.toSet());
        assertThat(keys).as("one run per fire: distinct fire keys == runs").hasSameSizeAs(runs);
        assertThat(runs).as("4 schedules firing every second for 4.5 s").hasSizeGreaterThanOrEqualTo(12);
        for (String id : ids) {
            List<RunRecord> ofSchedule = b.schedules().runs(id, 100);
            assertThat(ofSchedule).hasSizeGreaterThanOrEqualTo(3);
            List<Long> fireTimes = ofSchedule.stream()
                    .map(r -> Long.parseLong(r.idempotencyKey()
                            .substring(ScheduleRecord.idempotencyKeyPrefix(id).length())))
                    .sorted()
                    .toList();
            for (int i = 1; i < fireTimes.size(); i++) {
                long gap = fireTimes.get(i) - fireTimes.get(i - 1);
                assertThat(gap)
                        .as("fires of %s are whole seconds apart, never two runs for one slot", id)
                        .isPositive();
                assertThat(gap % 1000).isZero();
            }
            assertThat(b.schedules().require(id).fireCount()).isEqualTo(ofSchedule.size());
        }
        for (RunRecord r : runs)
            assertThat(a.awaitCompletion(r.id(), Duration.ofSeconds(10)).status())
                    .isEqualTo(RunStatus.COMPLETED);
        assertThat(runs)
                .extracting(RunRecord::attempt)
                .as("no run was executed twice")
                .containsOnly(1);
    }

    @Test
    void aFireClaimedByANodeThatDiedIsFiredOnceAfterItsClaimExpires() throws Exception {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Instant fireAt = now.minusMillis(200);
        Instant claimUntil = now.plusMillis(1_500);
        try (RunStore ghost = StoreFactory.postgres(PostgresTestDatabase.url(schema))) {
            ScheduleRecord due = new ScheduleRecord(
                    "orphaned",
                    "tick",
                    Json.tree(new Tick("ghost")),
                    null,
                    Duration.ofSeconds(60),
                    "UTC",
                    false,
                    fireAt,
                    null,
                    null,
                    null,
                    0,
                    now.minusSeconds(1),
                    now,
                    null,
                    null);
            assertThat(ghost.schedules().create(due).join()).isTrue();
            // the ghost node claims the fire and dies before starting its run
            assertThat(ghost.schedules().claimDue("ghost", now, 10, claimUntil).join())
                    .extracting(ScheduleRecord::id)
                    .containsExactly("orphaned");
        }
        TernEngine a = node("node-a");
        node("node-b");
        String key = ScheduleRecord.idempotencyKey("orphaned", fireAt);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> a.schedules().require("orphaned").fireCount() > 0);
        List<RunRecord> runs = a.schedules().runs("orphaned", 10);
        assertThat(runs).extracting(RunRecord::idempotencyKey).containsExactly(key);
        assertThat(runs.get(0).createdAt())
                .as("nobody fired while the dead node's claim held")
                .isAfterOrEqualTo(claimUntil);
        ScheduleRecord after = a.schedules().require("orphaned");
        assertThat(after.lastRunId()).isEqualTo(runs.get(0).id());
        assertThat(after.lastFireAt()).isEqualTo(fireAt);
        assertThat(after.nextFireAt()).isAfter(Instant.now());
        Thread.sleep(500);
        assertThat(a.schedules().runs("orphaned", 10)).hasSize(1);
    }

    @Test
    void aLateDuplicateFireGetsTheRunThatFireAlreadyStarted() throws Exception {
        TernEngine a = node("node-a");
        TernEngine b = node("node-b");
        String id = a.schedules()
                .create(ScheduleSpec.every("tick", Json.tree(new Tick("late")), Duration.ofSeconds(1)))
                .id();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> !a.schedules().runs(id, 10).isEmpty());
        RunRecord first = a.schedules().runs(id, 10).getLast();
        // a node that stalled between claiming this fire and starting its run, then carries on
        RunRecord again = b.schedule(
                RunnableDefinition.Kind.WORKFLOW,
                "tick",
                Json.tree(new Tick("late")),
                RunOptions.none().withIdempotencyKey(first.idempotencyKey()));
        assertThat(again.id()).isEqualTo(first.id());
        a.schedules().delete(id);
        assertThat(a.runs(new RunQuery(null, "tick", null, 500, null)).runs().stream()
                        .filter(r -> r.idempotencyKey().equals(first.idempotencyKey())))
                .hasSize(1);
    }
}

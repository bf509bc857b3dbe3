package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On SQLite a run's first attempt, started with the run, has a row of its own only once something must be written there
 * (internal {@code LazyAttempts}): a short run never writes it, and its attempt reads back as the row would have been;
 * a keep-alive, a resumption on another node and a claim of the next attempt after a crash each write it first, with
 * the node that started the attempt.
 */
class LazyAttemptsTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    record In(String text) {}

    record Out(String text) {}

    record Note(String text) {}

    @TempDir
    Path dir;

    final CountDownLatch entered = new CountDownLatch(1);
    volatile CountDownLatch release = new CountDownLatch(1);

    Definitions definitions() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of(
                        "quick", In.class, Out.class, (ctx, in) -> new Out(ctx.step("s", String.class, in::text))))
                .workflow(WorkflowDefinition.of("held", In.class, Out.class, (ctx, in) -> {
                    String held = ctx.step("held", String.class, () -> {
                        entered.countDown();
                        release.await();
                        return in.text();
                    });
                    return new Out(held);
                }))
                .workflow(WorkflowDefinition.of("waiting", In.class, Out.class, (ctx, in) -> {
                    return new Out(ctx.awaitEvent("go", Note.class).text());
                }))
                .build();
    }

    EngineFixture engines() {
        return new EngineFixture(StoreKind.SQLITE, dir);
    }

    TernEngine start(EngineFixture engines, String node, Duration lease) {
        return engines.start(definitions(), engines.config().withNodeId(node).withLeaseDuration(lease));
    }

    @Test
    void aShortRunsFirstAttemptReadsBackFromItsEventAndItsRunWithoutARow() throws Exception {
        try (EngineFixture engines = engines()) {
            TernEngine engine = start(engines, "node-a", Duration.ofSeconds(60));
            String id = engine.start("quick", new In("hi"));
            RunRecord run = engine.awaitCompletion(id, WAIT);
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);

            assertThat(row(engines, id)).as("no row of its own").isNull();
            Instant started = engine.history(id, 0, 10).get(1).at(); // its attempt_started event
            assertThat(engine.attempts(id))
                    .containsExactly(new AttemptRecord(
                            id, 1, "node-a", started, started, run.completedAt(), "completed", java.util.List.of()));
            assertThat(engine.detail(id, java.util.Set.of(RunDetail.Part.ATTEMPTS))
                            .orElseThrow()
                            .attempts())
                    .isEqualTo(engine.attempts(id));
        }
    }

    @Test
    void aKeepAliveWritesTheRowFirstAndTheEndEndsIt() throws Exception {
        try (EngineFixture engines = engines()) {
            TernEngine engine = start(engines, "node-a", Duration.ofSeconds(2)); // kept alive every 2/3 s
            String id = engine.start("held", new In("hi"));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            Row kept = await().atMost(WAIT)
                    .until(() -> row(engines, id), r -> r != null && r.lastKeepAlive() > r.started());
            assertThat(kept.node()).isEqualTo("node-a");

            release.countDown();
            RunRecord run = engine.awaitCompletion(id, WAIT);
            Row ended = row(engines, id);
            assertThat(ended.endedAt()).isEqualTo(run.completedAt().toEpochMilli());
            assertThat(ended.outcome()).isEqualTo("completed");
            AttemptRecord attempt = engine.attempts(id).getFirst();
            assertThat(engine.attempts(id)).hasSize(1);
            assertThat(attempt.lastKeepAliveAt()).isAfter(attempt.startedAt());
            assertThat(attempt.endedAt()).isEqualTo(run.completedAt());
        }
    }

    @Test
    void aCrashedFirstAttemptIsEndedAbandonedUnderTheNodeThatStartedIt() throws Exception {
        try (EngineFixture engines = engines()) {
            TernEngine engine = start(engines, "node-a", Duration.ofSeconds(60)); // no keep-alive in this test
            String id = engine.start("held", new In("hi"));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            engines.crash();
            assertThat(row(engines, id)).as("no row before the takeover").isNull();

            release = new CountDownLatch(0);
            engine = start(engines, "node-b", Duration.ofSeconds(60));
            RunRecord run = engine.awaitCompletion(id, WAIT);

            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(engine.attempts(id))
                    .extracting(a -> a.attempt() + ":" + a.nodeId() + ":" + a.outcome())
                    .containsExactly("1:node-a:abandoned", "2:node-b:completed");
            assertThat(engine.attempts(id).getFirst().endedAt()).isNotNull();
        }
    }

    @Test
    void aFirstAttemptResumedOnAnotherNodeKeepsTheNodeThatStartedIt() throws Exception {
        try (EngineFixture engines = engines()) {
            TernEngine engine = start(engines, "node-a", Duration.ofSeconds(60));
            String id = engine.start("waiting", new In("hi"));
            await().atMost(WAIT).until(() -> suspended(engines, id));
            engines.crash();

            TernEngine other = start(engines, "node-b", Duration.ofSeconds(60));
            other.sendEvent(id, "go", JsonNodeFactory.instance.objectNode().put("text", "went"));
            RunRecord run = other.awaitCompletion(id, WAIT);

            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            Row row = row(engines, id);
            assertThat(row).as("written when it was resumed").isNotNull();
            assertThat(row.node()).isEqualTo("node-a");
            AttemptRecord attempt = other.attempts(id).getFirst();
            assertThat(other.attempts(id)).hasSize(1);
            assertThat(attempt.nodeId()).isEqualTo("node-a");
            assertThat(attempt.resumes())
                    .extracting(AttemptRecord.Resume::nodeId)
                    .containsExactly("node-b");
            assertThat(attempt.outcome()).isEqualTo("completed");
        }
    }

    /** An attempt's row as stored: its node, times in epoch milliseconds, outcome. */
    record Row(String node, long started, long lastKeepAlive, Long endedAt, String outcome) {}

    /** The run's first attempt's row, or null when it has none. */
    static Row row(EngineFixture engines, String runId) throws Exception {
        try (Connection c = DriverManager.getConnection(engines.jdbcUrl());
                PreparedStatement ps = c.prepareStatement("SELECT node_id, started_at, last_keep_alive_at, ended_at,"
                        + " outcome FROM attempts WHERE run_id = ? AND attempt = 1")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return null;
                long ended = rs.getLong(4);
                return new Row(
                        rs.getString(1), rs.getLong(2), rs.getLong(3), rs.wasNull() ? null : ended, rs.getString(5));
            }
        }
    }

    static boolean suspended(EngineFixture engines, String runId) throws Exception {
        try (Connection c = DriverManager.getConnection(engines.jdbcUrl());
                PreparedStatement ps = c.prepareStatement("SELECT suspended FROM runs WHERE id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }
}

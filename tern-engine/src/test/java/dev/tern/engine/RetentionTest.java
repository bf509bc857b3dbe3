package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Retention on both stores, time skipped with a {@link ManualClock}: a run that finished longer ago than the retention
 * is deleted with every row that refers to it, in every table; a recent one and an unfinished one stay; a finished
 * child of an unfinished parent stays until the parent has finished and aged too. Deletions are counted in
 * {@code tern_runs_deleted_total}.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class RetentionTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration RETENTION = Duration.ofDays(30);

    record In(String text) {}

    record Out(String text) {}

    record Note(String text) {}

    record Answer(boolean ok) {}

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    TernEngine engine;
    HttpServer receiver;
    final ManualClock clock = ManualClock.startingNow();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        fixture = new EngineFixture(store, dir);
        Definitions definitions = Definitions.builder()
                .workflow(WorkflowDefinition.of("everything", In.class, Out.class, (ctx, in) -> {
                    String a = ctx.step("a", String.class, () -> in.text() + "-a");
                    Note note = ctx.awaitEvent("go", Note.class);
                    Answer answer = ctx.askHuman("ok?", Answer.class);
                    return new Out(a + "-" + note.text() + "-" + answer.ok());
                }))
                .workflow(WorkflowDefinition.of(
                        "quick", In.class, Out.class, (ctx, in) -> new Out(ctx.step("s", String.class, in::text))))
                .workflow(WorkflowDefinition.of("waiter", In.class, Out.class, (ctx, in) -> {
                    return new Out(ctx.awaitEvent("never", Note.class).text());
                }))
                .workflow(WorkflowDefinition.of("parent", In.class, Out.class, (ctx, in) -> {
                    var child = ctx.startChild("quick", new In("child"));
                    Note note = ctx.awaitEvent("finish", Note.class);
                    return new Out(ctx.awaitChild(child, Out.class).text() + note.text());
                }))
                .build();
        engine = fixture.start(
                definitions,
                fixture.config()
                        .withClock(clock)
                        .withRetention(RETENTION)
                        .withObservability(Observability.of(meters, OpenTelemetry.noop())));
    }

    @AfterEach
    void stop() {
        if (fixture != null) fixture.close();
        if (receiver != null) receiver.stop(0);
    }

    String schedule(String name, String text, RunOptions options) {
        return engine.schedule(null, name, JsonNodeFactory.instance.objectNode().put("text", text), options)
                .id();
    }

    RunRecord awaitStatus(String runId, RunStatus status) {
        await().atMost(WAIT).until(() -> engine.requireRun(runId).status() == status);
        return engine.requireRun(runId);
    }

    @Test
    void oldFinishedRunsGoWithAllTheirRowsRecentAndUnfinishedOnesAndChildrenOfUnfinishedParentsStay() throws Exception {
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        String old = schedule("everything", "old", RunOptions.none().withWebhookUrl(hook));
        awaitStatus(old, RunStatus.RUNNING);
        await().atMost(WAIT).until(() -> !engine.history(old, 0, 100).isEmpty());
        engine.sendEvent(old, "go", JsonNodeFactory.instance.objectNode().put("text", "went"));
        await().atMost(WAIT).until(() -> !engine.interactions(old).isEmpty());
        engine.answer(
                old,
                engine.interactions(old).get(0).id(),
                JsonNodeFactory.instance.objectNode().put("ok", true));
        awaitStatus(old, RunStatus.COMPLETED);
        await().atMost(WAIT)
                .until(() -> engine.webhookDeliveries(old).stream()
                        .allMatch(d -> d.state().equals(WebhookDelivery.DELIVERED)));
        String otherOrgs = schedule("quick", "old", RunOptions.none().withOrg("other"));
        awaitStatus(otherOrgs, RunStatus.COMPLETED);
        String waiter = schedule("waiter", "w", RunOptions.none());
        String parent = schedule("parent", "p", RunOptions.none());
        String child = await().atMost(WAIT).until(() -> childOf(parent), c -> c != null);
        awaitStatus(child, RunStatus.COMPLETED);
        Map<String, Long> before = rows(old);
        before.remove("attempt_resumes"); // only if the run suspended before its event came
        assertThat(engine.attempts(old)).hasSize(1);
        // on SQLite a first attempt has its row once it is resumed or kept alive (LazyAttempts): here, if it suspended
        if (store == StoreKind.SQLITE) before.remove("attempts");
        assertThat(before)
                .allSatisfy((table, count) -> assertThat(count).as(table).isPositive());

        clock.advance(Duration.ofDays(20));
        String recent = schedule("quick", "recent", RunOptions.none());
        awaitStatus(recent, RunStatus.COMPLETED);

        clock.advance(Duration.ofDays(11));
        await().atMost(WAIT).until(() -> engine.run(old).isEmpty());
        await().atMost(WAIT).until(() -> engine.run(otherOrgs).isEmpty()); // every organisation's
        assertThat(rows(old))
                .allSatisfy((table, count) -> assertThat(count).as(table).isZero());
        assertThat(engine.run(recent)).isPresent();
        assertThat(engine.run(waiter)).isPresent();
        assertThat(engine.run(parent)).isPresent();
        assertThat(engine.run(child))
                .as("a finished child of an unfinished parent")
                .isPresent();
        assertThat(engine.steps(child)).isNotEmpty();
        assertThat(deleted()).isEqualTo(2);

        engine.sendEvent(parent, "finish", JsonNodeFactory.instance.objectNode().put("text", "!"));
        assertThat(awaitStatus(parent, RunStatus.COMPLETED).output().get("text").asText())
                .isEqualTo("child!");
        clock.advance(Duration.ofDays(31));
        await().atMost(WAIT)
                .until(() -> engine.run(parent).isEmpty() && engine.run(child).isEmpty());
        await().atMost(WAIT).until(() -> engine.run(recent).isEmpty());
        Map<String, Long> childRows = rows(child);
        childRows.remove("webhook_attempts");
        assertThat(childRows)
                .allSatisfy((table, count) -> assertThat(count).as(table).isZero());
        assertThat(engine.run(waiter)).isPresent();
        assertThat(engine.requireRun(waiter).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(deleted()).isEqualTo(5);
    }

    double deleted() {
        var counter = meters.find("tern.runs.deleted").counter();
        return counter == null ? 0 : counter.count();
    }

    String childOf(String parent) {
        List<RunRecord> runs = engine.runs(new RunQuery(null, "quick", null, 10, null).withParent(parent))
                .runs();
        return runs.isEmpty() ? null : runs.get(0).id();
    }

    /** Rows that refer to the run, per table; {@code webhook_attempts} counts every delivery attempt stored. */
    Map<String, Long> rows(String runId) throws SQLException {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(fixture.jdbcUrl())) {
            for (String table : List.of(
                    "steps", "history", "inbox", "attempts", "interactions", "webhook_deliveries", "attempt_resumes")) {
                counts.put(table, count(c, "SELECT count(*) FROM " + table + " WHERE run_id = ?", runId));
            }
            counts.put("runs", count(c, "SELECT count(*) FROM runs WHERE id = ?", runId));
            counts.put("webhook_attempts", count(c, "SELECT count(*) FROM webhook_attempts WHERE ? <> ''", runId));
        }
        return counts;
    }

    static long count(Connection c, String sql, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

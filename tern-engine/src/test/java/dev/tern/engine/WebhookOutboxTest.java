package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tern.engine.internal.json.Json;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The webhook outbox in the engine, on both stores: definition defaults, giving up after the last attempt, one sender
 * per delivery.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class WebhookOutboxTest {
    record In(int n) {}

    record Out(int n) {}

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    HttpServer receiver;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final AtomicInteger answer = new AtomicInteger(204);

    @BeforeEach
    void start() throws IOException {
        fixture = new EngineFixture(store, dir);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            ((com.fasterxml.jackson.databind.node.ObjectNode) body)
                    .put("path", exchange.getRequestURI().getPath());
            received.add(body);
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        fixture.close();
        receiver.stop(0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    Definitions definitions() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of("hooked", In.class, Out.class, (ctx, in) -> new Out(in.n()))
                        .withWebhookUrl(url("/default")))
                .workflow(WorkflowDefinition.of("plain", In.class, Out.class, (ctx, in) -> new Out(in.n())))
                .workflow(WorkflowDefinition.of(
                                "slow",
                                In.class,
                                Out.class,
                                (ctx, in) -> new Out(ctx.step("work", Integer.class, () -> {
                                    Thread.sleep(400);
                                    return in.n();
                                })))
                        .withWebhookUrl(url("/slow")))
                .build();
    }

    EngineConfig config(int maxAttempts) {
        return fixture.config()
                .withWebhooks(WebhookSettings.defaults()
                        .withSecret("s")
                        .withMaxAttempts(maxAttempts)
                        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)));
    }

    @Test
    void aDefinitionsWebhookUrlAppliesUnlessTheRunHasItsOwn() throws Exception {
        TernEngine engine = fixture.start(definitions(), config(5));
        String byDefault = engine.start("hooked", new In(1));
        String own = engine.schedule(
                        null, "hooked", Json.tree(new In(2)), RunOptions.none().withWebhookUrl(url("/own")))
                .id();
        String none = engine.start("plain", new In(3));
        for (String id : List.of(byDefault, own, none)) engine.awaitCompletion(id, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 4);
        Thread.sleep(300);
        assertThat(received)
                .extracting(n -> n.get("runId").asText() + " " + n.get("path").asText() + " "
                        + n.get("status").asText())
                .containsExactlyInAnyOrder(
                        byDefault + " /default running",
                        byDefault + " /default completed",
                        own + " /own running",
                        own + " /own completed");
        assertThat(engine.requireRun(byDefault).webhookUrl()).isEqualTo(url("/default"));
        assertThat(engine.webhookDeliveries(none)).isEmpty();
        assertThat(engine.webhookDeliveries(own))
                .extracting(WebhookDelivery::state)
                .containsOnly(WebhookDelivery.DELIVERED);
    }

    @Test
    void aRunThatWaitsForAFreeSlotReportsQueuedThenRunningThenCompleted() throws Exception {
        TernEngine engine = fixture.start(definitions(), config(5).withMaxActiveRuns(1));
        String first = engine.start("slow", new In(1));
        String second = engine.start("slow", new In(2));
        assertThat(engine.requireRun(second).status()).isEqualTo(RunStatus.QUEUED);
        engine.awaitCompletion(second, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.webhookDeliveries(second).size() == 3
                        && engine.webhookDeliveries(second).stream()
                                .allMatch(d -> d.state().equals(WebhookDelivery.DELIVERED)));
        List<WebhookDelivery> deliveries = engine.webhookDeliveries(second);
        assertThat(deliveries)
                .extracting(WebhookDelivery::status)
                .containsExactly(RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.COMPLETED);
        assertThat(deliveries)
                .extracting(WebhookDelivery::previousStatus)
                .containsExactly(null, RunStatus.QUEUED, RunStatus.RUNNING);
        assertThat(engine.history(second, 0, 100)
                        .get((int) deliveries.get(1).eventSequence() - 1)
                        .type())
                .isEqualTo(HistoryEventType.ATTEMPT_STARTED);
        assertThat(engine.webhookDeliveries(first))
                .extracting(WebhookDelivery::status)
                .containsExactly(RunStatus.RUNNING, RunStatus.COMPLETED);
    }

    @Test
    void aDeliveryIsFailedAfterItsLastAttemptWithEveryAttemptRecorded() throws Exception {
        answer.set(503);
        TernEngine engine = fixture.start(definitions(), config(3));
        String runId = engine.start("hooked", new In(1));
        engine.awaitCompletion(runId, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.webhookDeliveries(runId).stream()
                        .allMatch(d -> d.state().equals(WebhookDelivery.FAILED)));
        List<WebhookDelivery> deliveries = engine.webhookDeliveries(runId);
        assertThat(deliveries)
                .extracting(WebhookDelivery::status)
                .containsExactly(RunStatus.RUNNING, RunStatus.COMPLETED);
        assertThat(deliveries).allSatisfy(d -> {
            assertThat(d.attempts())
                    .extracting(WebhookDelivery.Attempt::statusCode)
                    .containsExactly(503, 503, 503);
            assertThat(d.nextAttemptAt()).isNull();
            assertThat(d.deliveredAt()).isNull();
        });
        Thread.sleep(300);
        assertThat(received).hasSize(6);
    }

    @Test
    void anUnreachableReceiverIsRecordedAsAnError() throws Exception {
        TernEngine engine = fixture.start(definitions(), config(2));
        String runId = engine.schedule(
                        null,
                        "plain",
                        Json.tree(new In(1)),
                        RunOptions.none().withWebhookUrl("http://127.0.0.1:1/nothing-here"))
                .id();
        engine.awaitCompletion(runId, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> engine.webhookDeliveries(runId).stream()
                        .allMatch(d -> d.state().equals(WebhookDelivery.FAILED)));
        assertThat(engine.webhookDeliveries(runId))
                .allSatisfy(d -> assertThat(d.attempts()).hasSize(2).allSatisfy(a -> {
                    assertThat(a.statusCode()).isNull();
                    assertThat(a.error()).isNotBlank();
                }));
    }

    @Test
    void badWebhookUrlsAreRefusedNamingTheField() {
        TernEngine engine = fixture.start(definitions(), config(2));
        assertThatThrownBy(() -> engine.schedule(
                        null, "plain", Json.tree(new In(1)), RunOptions.none().withWebhookUrl("mailto:a@b.c")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("invalid run options")
                .satisfies(e -> assertThat(((InvalidInputException) e).violations())
                        .extracting(Violation::field)
                        .containsExactly("webhookUrl"));
        assertThatThrownBy(() -> WorkflowDefinition.of("x", In.class, Out.class, (ctx, in) -> new Out(1))
                        .withWebhookUrl("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("webhookUrl");
    }

    @Test
    void twoNodesSendEachDeliveryOnce() throws Exception {
        assumeThat(store).isEqualTo(StoreKind.POSTGRESQL);
        TernEngine first = fixture.start(definitions(), config(5));
        try (TernEngine second = TernEngine.start(config(5), definitions())) {
            List<String> runs = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 20; i++) runs.add((i % 2 == 0 ? first : second).start("hooked", new In(i)));
            for (String id : runs) first.awaitCompletion(id, Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 40);
            Thread.sleep(500);
            assertThat(received).hasSize(40);
            assertThat(received).extracting(n -> n.get("deliveryId").asText()).doesNotHaveDuplicates();
        }
    }
}

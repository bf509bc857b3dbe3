package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.WebhookSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Webhooks over real HTTP on both stores: a loopback receiver that checks every signature and answers 500 to the first
 * requests sees each status change of a run delivered after retries, and {@code GET /v1/runs/{runId}/webhooks} shows
 * every attempt.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class WebhookTest {
    static final String SECRET = "whsec_test_1234";
    static final Duration WAIT = Duration.ofSeconds(30);

    @Parameter
    String store;

    @TempDir
    Path dir;

    TestStore db;
    TestServer server;
    WebhookReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver(SECRET, 2);
        db = TestStore.of(store, dir);
        server = TestServer.start(
                db.config()
                        .withWebhooks(WebhookSettings.defaults()
                                .withSecret(SECRET)
                                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))),
                null,
                10L << 20);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        receiver.close();
        if (db != null) db.close();
    }

    String schedule(String name, String input) {
        TestServer.Response r = server.post(
                "/v1/runs",
                "{\"name\": \"" + name + "\", \"input\": " + input + ", \"webhookUrl\": \"" + receiver.url() + "\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body().get("runId").asText();
    }

    /** The deliveries the receiver accepted for the run, one per delivery id, in event order. */
    List<JsonNode> accepted(String runId) {
        List<JsonNode> out = new ArrayList<>();
        for (WebhookReceiver.Received r : receiver.accepted()) {
            if (r.json().get("runId").asText().equals(runId)) out.add(r.json());
        }
        out.sort(Comparator.comparingLong(n -> n.get("eventSequence").asLong()));
        return out;
    }

    static List<String> field(List<JsonNode> nodes, String name) {
        return nodes.stream()
                .map(n -> n.has(name) ? n.get(name).asText() : null)
                .toList();
    }

    @Test
    void everyStatusChangeOfARunWithAHumanStepIsDeliveredSignedAfterRetries() throws Exception {
        String runId = schedule("approval", "{}");
        await().atMost(WAIT)
                .until(() -> !server.get("/v1/runs/" + runId + "/interactions")
                        .body()
                        .get("interactions")
                        .isEmpty());
        String interactionId = server.get("/v1/runs/" + runId + "/interactions")
                .body()
                .get("interactions")
                .get(0)
                .get("interactionId")
                .asText();
        server.post(
                "/v1/runs/" + runId + "/interactions/" + interactionId,
                "{\"answer\": {\"approved\": true, \"comment\": \"ship it\"}}");
        await().atMost(WAIT).until(() -> accepted(runId).size() >= 4);
        Thread.sleep(500); // a fifth delivery, or a repeat, would show up now

        List<JsonNode> delivered = accepted(runId);
        assertThat(field(delivered, "status")).containsExactly("running", "awaiting-human", "running", "completed");
        assertThat(field(delivered, "previousStatus")).containsExactly(null, "running", "awaiting-human", "running");
        assertThat(field(delivered, "deliveryId")).doesNotHaveDuplicates();
        for (JsonNode d : delivered) {
            assertThat(d.get("name").asText()).isEqualTo("approval");
            assertThat(d.get("kind").asText()).isEqualTo("workflow");
            assertThat(d.get("occurredAt").asText()).isNotEmpty();
        }
        assertThat(delivered.getLast().get("output").get("comment").asText()).isEqualTo("ship it");
        assertThat(delivered.getFirst().has("output")).isFalse();
        JsonNode history = server.get("/v1/runs/" + runId + "/history").body().get("events");
        assertThat(history.get(delivered.getLast().get("eventSequence").asInt() - 1)
                        .get("type")
                        .asText())
                .isEqualTo("run_completed");
        assertThat(history.get(delivered.get(1).get("eventSequence").asInt() - 1)
                        .get("type")
                        .asText())
                .isEqualTo("interaction_opened");

        assertThat(receiver.received()).allSatisfy(r -> {
            assertThat(r.signatureValid())
                    .as("signature %s of %s", r.signature(), r.body())
                    .isTrue();
            assertThat(r.deliveryId()).isEqualTo(r.json().get("deliveryId").asText());
        });
        assertThat(receiver.received().stream().filter(r -> r.answered() == 500))
                .hasSize(2);

        JsonNode view = server.get("/v1/runs/" + runId + "/webhooks").body();
        assertThat(view.get("webhookUrl").asText()).isEqualTo(receiver.url());
        List<JsonNode> deliveries = StreamSupport.stream(view.get("deliveries").spliterator(), false)
                .toList();
        assertThat(field(deliveries, "status")).containsExactly("running", "awaiting-human", "running", "completed");
        assertThat(field(deliveries, "state")).containsOnly("delivered");
        assertThat(field(deliveries, "deliveryId")).containsExactlyElementsOf(field(delivered, "deliveryId"));
        List<Integer> codes = deliveries.stream()
                .flatMap(d -> StreamSupport.stream(d.get("attempts").spliterator(), false))
                .map(a -> a.get("statusCode").asInt())
                .toList();
        assertThat(codes)
                .hasSize(receiver.received().size())
                .containsOnly(500, 204)
                .filteredOn(c -> c == 500)
                .hasSize(2);
        for (JsonNode d : deliveries) {
            JsonNode attempts = d.get("attempts");
            assertThat(d.get("attemptCount").asInt()).isEqualTo(attempts.size());
            assertThat(attempts.get(attempts.size() - 1).get("statusCode").asInt())
                    .isEqualTo(204);
            assertThat(d.get("deliveredAt").asText()).isNotEmpty();
        }
    }

    @Test
    void aCancelledRunReportsCancelledWithItsError() throws Exception {
        String runId = schedule("sleepy", "{\"seconds\": 60}");
        await().atMost(WAIT).until(() -> field(accepted(runId), "status").contains("running"));
        assertThat(server.post("/v1/runs/" + runId + "/cancel", null).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> accepted(runId).size() >= 2);
        List<JsonNode> delivered = accepted(runId);
        assertThat(field(delivered, "status")).containsExactly("running", "cancelled");
        assertThat(delivered.getLast().get("previousStatus").asText()).isEqualTo("running");
        assertThat(delivered.getLast().get("error").get("message").asText()).contains("cancelled");
    }

    @Test
    void aRunWithoutWebhookHasNoDeliveriesAndBadUrlsAre400NamingTheField() {
        TestServer.Response plain = server.post("/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}");
        String runId = plain.body().get("runId").asText();
        JsonNode view = server.get("/v1/runs/" + runId + "/webhooks").body();
        assertThat(view.get("deliveries")).isEmpty();
        assertThat(view.has("webhookUrl")).isFalse();
        assertThat(server.get("/v1/runs/run_unknown1/webhooks").status()).isEqualTo(404);
        for (String bad : List.of("\"ftp://example.com/hook\"", "\"not a url\"", "\"/relative/hook\"", "42")) {
            TestServer.Response r = server.post(
                    "/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}, \"webhookUrl\": " + bad + "}");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.body().get("errors").get(0).get("field").asText()).isEqualTo("$.webhookUrl");
        }
    }
}

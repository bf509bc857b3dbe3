package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox survives SIGKILL: a run finishes while its webhook receiver answers 500, the server process is killed with
 * the delivery pending, and after a restart on the same data directory the delivery arrives, signed with the same
 * secret.
 */
class WebhookCrashTest {
    static final String SECRET = "crash-secret-42";

    @TempDir
    Path dataDir;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPendingDeliveryIsSentAfterTheServerIsKilledAndRestarted() throws Exception {
        String runId;
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET, 0)) {
            receiver.down = true;
            try (ServerProcess first = ServerProcess.start(dataDir, Map.of(), "--webhook-secret", SECRET)) {
                runId = post(
                                first,
                                "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}, \"webhookUrl\": \""
                                        + receiver.url() + "\"}")
                        .get("runId")
                        .asText();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> get(first, "/v1/runs/" + runId)
                                .get("status")
                                .asText()
                                .equals("completed"));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> receiver.received().stream()
                                .anyMatch(r -> r.json().get("status").asText().equals("completed")));
                // the receiver answers before the deliverer records the attempt: wait until the store shows it
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !completedDelivery(get(first, "/v1/runs/" + runId + "/webhooks"))
                                .get("attempts")
                                .isEmpty());
                JsonNode pending = completedDelivery(get(first, "/v1/runs/" + runId + "/webhooks"));
                assertThat(pending.get("state").asText()).isEqualTo("pending");
                assertThat(pending.get("attempts").get(0).get("statusCode").asInt())
                        .isEqualTo(500);
                first.kill();
            }
            assertThat(receiver.accepted()).isEmpty();

            receiver.down = false;
            try (ServerProcess second = ServerProcess.start(dataDir, Map.of("TERN_WEBHOOK_SECRET", SECRET))) {
                await().atMost(Duration.ofSeconds(40))
                        .until(() -> receiver.accepted().stream()
                                .anyMatch(r -> r.json().get("status").asText().equals("completed")));
                WebhookReceiver.Received done = receiver.accepted().stream()
                        .filter(r -> r.json().get("status").asText().equals("completed"))
                        .findFirst()
                        .orElseThrow();
                assertThat(done.signatureValid())
                        .as("signature %s over %s", done.signature(), done.body())
                        .isTrue();
                assertThat(done.json().get("runId").asText()).isEqualTo(runId);
                assertThat(done.json().get("output").get("message").asText()).isEqualTo("Hello, Ada!");
                assertThat(receiver.received())
                        .allSatisfy(r -> assertThat(r.signatureValid()).isTrue());

                await().atMost(Duration.ofSeconds(10))
                        .until(() -> completedDelivery(get(second, "/v1/runs/" + runId + "/webhooks"))
                                .get("state")
                                .asText()
                                .equals("delivered"));
                JsonNode delivered = completedDelivery(get(second, "/v1/runs/" + runId + "/webhooks"));
                JsonNode attempts = delivered.get("attempts");
                assertThat(attempts.size()).isGreaterThanOrEqualTo(2);
                assertThat(attempts.get(0).get("statusCode").asInt()).isEqualTo(500);
                assertThat(attempts.get(attempts.size() - 1).get("statusCode").asInt())
                        .isEqualTo(204);
                assertThat(delivered.get("deliveryId").asText()).isEqualTo(done.deliveryId());
            }
        }
    }

    static JsonNode completedDelivery(JsonNode view) {
        for (JsonNode d : view.get("deliveries")) if (d.get("status").asText().equals("completed")) return d;
        throw new AssertionError("no completed delivery in " + view);
    }

    JsonNode get(ServerProcess server, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    JsonNode post(ServerProcess server, String body) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/runs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body());
    }
}

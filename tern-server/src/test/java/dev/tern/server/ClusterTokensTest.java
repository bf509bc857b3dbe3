package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.PostgresTestDatabase;
import dev.tern.engine.internal.json.Json;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.testkit.model.FakeOpenAi;
import dev.tern.testkit.model.FakeReply;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL: a client streaming a run from the node that does not execute it still gets the model's
 * tokens live, relayed through NOTIFY, before the reply is checkpointed.
 */
class ClusterTokensTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    final String schema = PostgresTestDatabase.newSchema();
    FakeOpenAi model = FakeOpenAi.start();
    TestServer a;
    TestServer b;

    TestServer node(String id) {
        return TestServer.start(
                EngineConfig.postgres(PostgresTestDatabase.url(schema))
                        .withNodeId(id)
                        .withModel(new ModelEndpoint(model.baseUrl(), null, "gpt-test", null, null)),
                null,
                10L << 20);
    }

    @AfterEach
    void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
        model.close();
        PostgresTestDatabase.drop(schema);
    }

    @Test
    void tokensReachStreamsOnAnotherNode() throws Exception {
        a = node("a");
        b = node("b");
        CountDownLatch release = new CountDownLatch(1);
        model.enqueue(FakeReply.text("relayed across the cluster").holdAfterChunks(2, release));
        String runId = a.post("/api/agents/assistant", "{\"input\": {}}")
                .body()
                .get("runId")
                .asText();
        try (SseClient stream =
                SseClient.open(HttpClient.newHttpClient(), b.baseUrl() + "/v1/runs/" + runId + "/stream", null)) {
            assertThat(stream.nextEvent(WAIT).id())
                    .isNotNull(); // node b streams the run's history: it watches its tokens now
            a.put(
                    "/api/agents/assistant/" + runId,
                    "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": [{\"role\": \"user\", \"content\": "
                            + "\"hi\"}]}}");
            model.awaitRequests(1, WAIT);
            StringBuilder text = new StringBuilder();
            boolean released = false;
            while (true) {
                SseClient.Message m = stream.nextEvent(WAIT);
                if ("token".equals(m.event())) {
                    text.append(Json.parse(m.data()).path("text").asText());
                    if (!released && text.toString().equals("relayed across ")) {
                        released = true;
                        release.countDown(); // the first two tokens came through while the step was open
                    }
                }
                if ("step_completed".equals(m.event())
                        && Json.parse(m.data())
                                .path("data")
                                .path("name")
                                .asText()
                                .equals("model")) break;
            }
            assertThat(released).isTrue();
            assertThat(text.toString()).isEqualTo("relayed across the cluster");
        }
        JsonNode run = a.get("/v1/runs/" + runId).body();
        assertThat(run.path("attempts").get(0).path("nodeId").asText()).isEqualTo("a");
    }
}

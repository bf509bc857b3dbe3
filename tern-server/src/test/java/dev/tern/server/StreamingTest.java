package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.PostgresTestDatabase;
import dev.tern.engine.internal.json.Json;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /v1/runs/{runId}/stream} over real HTTP on both stores: a client that drops the connection mid-run and
 * resumes with {@code Last-Event-ID} (or {@code ?after=}) sees every history event exactly once, in order, and the
 * server closes the stream after the terminal event (a reconnect after it is answered 204).
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class StreamingTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @Parameter
    String store;

    @TempDir
    Path dir;

    String schema;
    TestServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = TestServer.start(config(), null, 10L << 20);
    }

    EngineConfig config() {
        if (store.equals("sqlite")) return EngineConfig.embedded(dir).withFsync(false);
        if (schema == null) schema = PostgresTestDatabase.newSchema();
        return EngineConfig.postgres(PostgresTestDatabase.url(schema));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (schema != null) PostgresTestDatabase.drop(schema);
    }

    String streamUrl(TestServer s, String runId) {
        return s.baseUrl() + "/v1/runs/" + runId + "/stream";
    }

    @Test
    void resumingWithLastEventIdAfterADisconnectGivesTheWholeHistoryOnceAndEndsAfterTheTerminalEvent()
            throws Exception {
        String runId = server.post("/v1/runs", "{\"name\": \"approval\", \"input\": {}}")
                .body()
                .get("runId")
                .asText();
        List<SseClient.Message> seen = new ArrayList<>();
        try (SseClient sse = SseClient.open(http, streamUrl(server, runId), null)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.contentType()).startsWith("text/event-stream");
            SseClient.Message m;
            do {
                m = sse.nextEvent(WAIT);
                assertThat(m)
                        .as("stream ended before the run asked its question")
                        .isNotNull();
                seen.add(m);
            } while (!m.event().equals("interaction_opened"));
        }
        String lastId = seen.getLast().id();
        try (SseClient resumed = SseClient.open(http, streamUrl(server, runId), lastId)) {
            assertThat(resumed.status()).isEqualTo(200);
            String interactionId = server.get("/v1/runs/" + runId + "/interactions")
                    .body()
                    .get("interactions")
                    .get(0)
                    .get("interactionId")
                    .asText();
            assertThat(server.post(
                                    "/v1/runs/" + runId + "/interactions/" + interactionId,
                                    "{\"answer\": {\"approved\": true}}")
                            .status())
                    .isEqualTo(200);
            seen.addAll(resumed.remainingEvents(WAIT));
        }
        assertMatchesHistory(runId, seen);
        assertThat(seen.getLast().event()).isEqualTo("run_completed");
    }

    @Test
    void resumingWithTheAfterParameterDuringASleepLosesNothing() throws Exception {
        String runId = server.post("/v1/runs", "{\"name\": \"sleepy\", \"input\": {\"seconds\": 1}}")
                .body()
                .get("runId")
                .asText();
        List<SseClient.Message> seen = new ArrayList<>();
        try (SseClient sse = SseClient.open(http, streamUrl(server, runId) + "?after=0", null)) {
            seen.add(sse.nextEvent(WAIT));
            seen.add(sse.nextEvent(WAIT));
        }
        assertThat(seen).doesNotContainNull();
        try (SseClient sse = SseClient.open(
                http, streamUrl(server, runId) + "?after=" + seen.getLast().id(), null)) {
            seen.addAll(sse.remainingEvents(WAIT));
        }
        assertMatchesHistory(runId, seen);
        assertThat(seen.stream().map(SseClient.Message::event)).contains("timer_started", "run_completed");
    }

    @Test
    void aFinishedRunStreamsItsHistoryAndClosesAndResumingAtTheEndClosesAtOnce() throws Exception {
        String runId = server.post("/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}")
                .body()
                .get("runId")
                .asText();
        assertThat(server.awaitRun(runId, WAIT).get("status").asText()).isEqualTo("completed");
        List<SseClient.Message> all;
        try (SseClient sse = SseClient.open(http, streamUrl(server, runId), null)) {
            all = sse.remainingEvents(WAIT);
        }
        assertMatchesHistory(runId, all);
        try (SseClient sse =
                SseClient.open(http, streamUrl(server, runId), all.getLast().id())) {
            assertThat(sse.status()).as("204 stops a reconnecting EventSource").isEqualTo(204);
            assertThat(sse.remainingEvents(WAIT)).isEmpty();
        }
    }

    @Test
    void unknownRunIs404AndABadLastEventIdIs400NamingIt() throws Exception {
        try (SseClient sse = SseClient.open(http, streamUrl(server, "run_doesNotExist"), null)) {
            assertThat(sse.status()).isEqualTo(404);
            assertThat(sse.contentType()).startsWith("application/problem+json");
        }
        String runId = server.post("/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}")
                .body()
                .get("runId")
                .asText();
        try (SseClient sse = SseClient.open(http, streamUrl(server, runId), "twelve")) {
            assertThat(sse.status()).isEqualTo(400);
        }
        TestServer.Response bad = server.get("/v1/runs/" + runId + "/stream?after=-3");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("errors").get(0).get("field").asText()).isEqualTo("after");
    }

    @Test
    void historyWrittenOnAnotherNodeReachesAStreamOnThisOne() throws Exception {
        assumeThat(store).as("several nodes share a store only on PostgreSQL").isEqualTo("postgresql");
        try (TestServer other = TestServer.start(config(), null, 10L << 20)) {
            String runId = server.post("/v1/runs", "{\"name\": \"approval\", \"input\": {}}")
                    .body()
                    .get("runId")
                    .asText();
            try (SseClient sse = SseClient.open(http, streamUrl(other, runId), null)) {
                List<SseClient.Message> seen = new ArrayList<>();
                SseClient.Message m;
                do {
                    m = sse.nextEvent(WAIT);
                    assertThat(m).isNotNull();
                    seen.add(m);
                } while (!m.event().equals("interaction_opened"));
                String interactionId = server.get("/v1/runs/" + runId + "/interactions")
                        .body()
                        .get("interactions")
                        .get(0)
                        .get("interactionId")
                        .asText();
                server.post(
                        "/v1/runs/" + runId + "/interactions/" + interactionId, "{\"answer\": {\"approved\": true}}");
                seen.addAll(sse.remainingEvents(WAIT));
                assertMatchesHistory(runId, seen);
                assertThat(server.get("/v1/runs/" + runId)
                                .body()
                                .get("attempts")
                                .get(0)
                                .get("nodeId")
                                .asText())
                        .as("the run executed on the first node")
                        .isEqualTo(server.engine().nodeId());
            }
        }
    }

    /**
     * The messages are the run's history exactly: ids 1..n with no gap or repeat, each event's type and JSON as
     * /history renders it.
     */
    void assertMatchesHistory(String runId, List<SseClient.Message> messages) throws Exception {
        JsonNode history = server.get("/v1/runs/" + runId + "/history").body().get("events");
        assertThat(messages.stream().map(m -> Long.parseLong(m.id())).toList())
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, history.size()).boxed().toList());
        for (int i = 0; i < messages.size(); i++) {
            assertThat(messages.get(i).event())
                    .isEqualTo(history.get(i).get("type").asText());
            assertThat(Json.MAPPER.readTree(messages.get(i).data())).isEqualTo(history.get(i));
        }
    }
}

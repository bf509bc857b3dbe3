package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where a run's SSE stream ends, over raw HTTP on both stores: a reconnect after the terminal event of a finished run
 * is 204 No Content (the answer that stops a browser's EventSource, which retries an empty 200 forever), and a stream
 * resumed at the latest event of an idle run sends its response head at once rather than at the first heartbeat.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class StreamEndTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @Parameter
    String store;

    @TempDir
    Path dir;

    TestStore db;
    TestServer server;

    @BeforeEach
    void start() {
        db = TestStore.of(store, dir);
        server = TestServer.start(db.config(), null, 10L << 20);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    int port() {
        return server.http().port();
    }

    @Test
    void aReconnectAtOrPastTheLastEventOfAFinishedRunIs204NoContent() throws Exception {
        String runId = server.post("/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}")
                .body()
                .get("runId")
                .asText();
        JsonNode done = server.awaitRun(runId, WAIT);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        long last = done.get("eventSequence").asLong();
        String stream = "/v1/runs/" + runId + "/stream";

        for (String[] request : new String[][] {
            {stream, "Last-Event-ID: " + last},
            {stream + "?after=" + last},
            {stream + "?after=" + (last + 5)},
            {stream, "Last-Event-ID: " + (last + 1)}
        }) {
            String[] headers = java.util.Arrays.copyOfRange(request, 1, request.length);
            try (RawHttp http = RawHttp.send(port(), "GET", request[0], headers)) {
                RawHttp.Head head = http.head(WAIT);
                assertThat(head.status())
                        .as("GET %s %s", request[0], String.join(", ", headers))
                        .isEqualTo(204);
                assertThat(http.body(head, WAIT)).isEmpty();
            }
        }

        try (RawHttp http = RawHttp.send(port(), "GET", stream, "Last-Event-ID: " + (last - 1))) {
            RawHttp.Head head = http.head(WAIT);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers().get("content-type")).startsWith("text/event-stream");
            String body = http.body(head, WAIT);
            assertThat(body)
                    .contains("id: " + last + "\nevent: run_completed\n")
                    .doesNotContain("id: " + (last - 1) + "\n");
        }
    }

    @Test
    void aStreamResumedAtTheLatestEventOfAnIdleRunSendsItsHeadAtOnce() throws Exception {
        String runId = server.post("/v1/runs", "{\"name\": \"approval\", \"input\": {}}")
                .body()
                .get("runId")
                .asText();
        JsonNode idle = awaitSuspended(runId);
        long last = idle.get("eventSequence").asLong();
        assertThat(server.get("/v1/runs/" + runId + "/history?after=" + last)
                        .body()
                        .get("events"))
                .isEmpty();
        String stream = "/v1/runs/" + runId + "/stream";

        for (String[] request : new String[][] {{stream, "Last-Event-ID: " + last}, {stream + "?after=" + last}}) {
            long started = System.nanoTime();
            try (RawHttp http =
                    RawHttp.send(port(), "GET", request[0], java.util.Arrays.copyOfRange(request, 1, request.length))) {
                RawHttp.Head head = http.head(Duration.ofSeconds(1));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.headers().get("content-type")).startsWith("text/event-stream");
            }
        }
    }

    /** The run once it waits for its human suspended, with nothing more to record until the answer. */
    JsonNode awaitSuspended(String runId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode run = server.get("/v1/runs/" + runId).body();
            if (run.get("status").asText().equals("awaiting-human")
                    && run.path("waiting").path("suspended").asBoolean()) return run;
            assertThat(System.nanoTime())
                    .as("run %s never suspended: %s", runId, run)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}

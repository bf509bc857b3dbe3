package dev.tern.server;

import static dev.tern.server.RestackApiConformanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.RunQuery;
import dev.tern.engine.internal.json.Json;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The body limit holds whatever the framing: a chunked body (no Content-Length) well over {@code --max-body-bytes} is a
 * 413 problem on every route family that takes a body, and nothing it asked for happens.
 */
class HttpDoorBodyLimitTest {
    static final int LIMIT = 64 * 1024;
    static final int HUGE = 5 << 20;

    @TempDir
    Path dir;

    TestServer server;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() {
        server = TestServer.start(dir, null, LIMIT);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * A valid JSON body of about {@code HUGE} bytes: {@code prefix}, then a long string, then {@code suffix}, sent
     * chunked.
     */
    TestServer.Response sendChunked(String method, String path, String prefix, String suffix) throws Exception {
        byte[] filler = new byte[HUGE];
        Arrays.fill(filler, (byte) 'x');
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> stream(prefix, filler, suffix)))
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Length"))
                .as("sent without a length")
                .isPresent();
        JsonNode body = r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body());
        return new TestServer.Response(
                r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), body, r.body());
    }

    static InputStream stream(String prefix, byte[] filler, String suffix) {
        return new SequenceInputStream(
                new SequenceInputStream(
                        new ByteArrayInputStream(prefix.getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayInputStream(filler)),
                new ByteArrayInputStream(suffix.getBytes(StandardCharsets.UTF_8)));
    }

    void assertTooLarge(TestServer.Response r) {
        JsonNode p = assertProblem(r, 413);
        assertThat(p.get("type").asText()).endsWith("/payload-too-large");
        assertThat(p.get("detail").asText()).contains(String.valueOf(LIMIT));
    }

    @Test
    void chunkedSchedulesOverTheLimitAre413AndStartNothing() throws Exception {
        assertTooLarge(sendChunked("POST", "/api/workflows/hello", "{\"input\": {\"name\": \"", "\"}}"));
        assertTooLarge(sendChunked("POST", "/api/agents/chat", "{\"input\": {\"note\": \"", "\"}}"));
        assertTooLarge(sendChunked("POST", "/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"", "\"}}"));
        assertThat(server.engine()
                        .runs(new RunQuery(null, null, null, 10, null))
                        .runs())
                .isEmpty();
    }

    @Test
    void chunkedEventsAnswersAndSchedulesOverTheLimitAre413() throws Exception {
        String chat = server.post("/api/agents/chat", "{}").body().get("runId").asText();
        String sleepy = server.post("/v1/runs", "{\"name\": \"sleepy\", \"input\": {\"seconds\": 600}}")
                .body()
                .get("runId")
                .asText();
        assertTooLarge(sendChunked(
                "PUT", "/api/agents/chat/" + chat, "{\"eventName\": \"end\", \"eventInput\": {\"note\": \"", "\"}}"));
        assertTooLarge(sendChunked(
                "POST",
                "/v1/runs/" + sleepy + "/events",
                "{\"eventName\": \"go\", \"eventInput\": {\"note\": \"",
                "\"}}"));
        assertTooLarge(sendChunked(
                "POST", "/v1/runs/" + sleepy + "/interactions/int_x", "{\"answer\": {\"note\": \"", "\"}}"));
        assertTooLarge(sendChunked(
                "POST",
                "/v1/schedules",
                "{\"workflow\": \"hello\", \"intervalSeconds\": 60, \"input\": {\"name\": \"",
                "\"}}"));
        assertThat(server.engine().schedules().list()).isEmpty();
        assertThat(server.get("/v1/runs/" + sleepy + "/history").raw()).doesNotContain("event_received");
        // the server is fine afterwards, and a body within the limit still goes through, chunked too
        assertThat(server.post("/v1/runs/" + sleepy + "/events", "{\"eventName\": \"go\"}")
                        .status())
                .isEqualTo(200);
        HttpResponse<String> small = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/runs"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> stream("{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}", new byte[0], "")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(small.statusCode()).as(small.body()).isEqualTo(201);
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413BeforeTheBodyIsRead() {
        String body = "{\"name\": \"hello\", \"input\": {\"name\": \"" + "x".repeat(LIMIT) + "\"}}";
        assertTooLarge(server.post("/v1/runs", body));
        assertTooLarge(server.post("/v1/schedules", body));
        assertThat(server.engine()
                        .runs(new RunQuery(null, null, null, 10, null))
                        .runs())
                .isEmpty();
    }
}

package dev.tern.server;

import static dev.tern.server.RestackApiConformanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests Jetty refuses before any route sees them, and malformed JSON: every answer is an RFC 9457 problem in the
 * server's own words, never an HTML page, a library's or class's name, or a 500.
 */
class HttpDoorProtocolTest {
    /** Words that give away what the server is built with. */
    static final List<String> LEAKS = List.of(
            "<html",
            "<h1>",
            "jetty",
            "javalin",
            "jackson",
            "fasterxml",
            "Constraints",
            "Feature",
            "Exception",
            "JsonNode",
            "java.",
            "org.",
            "`",
            "servlet");

    @TempDir
    Path dir;

    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, null, 64 * 1024);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static void assertNoLeak(String text) {
        for (String leak : LEAKS) assertThat(text).as(text).doesNotContainIgnoringCase(leak);
    }

    JsonNode assertRawProblem(String request, int status) throws Exception {
        RawRequest.Answer a = RawRequest.send(server.http().port(), request);
        assertThat(a.status()).as(a.headers() + "\n" + a.body()).isEqualTo(status);
        assertThat(a.header("Content-Type")).as(a.headers()).startsWith("application/problem+json");
        JsonNode p = Json.MAPPER.readTree(a.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).startsWith("https://");
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
        assertNoLeak(a.headers().replaceAll("(?i)content-type: application/problem\\+json", "") + a.body());
        return p;
    }

    @Test
    void requestsTheParserRefusesAreProblems() throws Exception {
        assertRawProblem("GET /v1/runs/%zz HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        assertRawProblem("GET /v1/runs/a%00b HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        assertRawProblem("GET /v1/runs?x=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414);
        assertRawProblem("GET /v1/runs HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n", 431);
        assertRawProblem("GET /v1/runs HTTP/1.1\r\nHost: t\r\nX-Bad: a\u0001b\r\n\r\n", 400);
        assertRawProblem("GET /v1/runs HTTP/1.1\r\nHost: t\r\nX-Bad: a\u0000b\r\n\r\n", 400);
        assertRawProblem("HELLO\r\n\r\n", 400);
        assertRawProblem("GET /v1/runs HTTP/9.9\r\nHost: t\r\n\r\n", 505);
        assertRawProblem("GET /v1/runs HTTP/1.1\r\n\r\n", 400);
        assertRawProblem("GET /v1/../../etc/passwd HTTP/1.1\r\nHost: t\r\n\r\n", 400);
        assertRawProblem("POST /v1/runs HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n", 400);
        assertRawProblem(
                "POST /v1/runs HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                400);
    }

    @Test
    void errorsRaisedOutsideTheRoutesAreProblems() throws Exception {
        // a broken chunked body is read by a route, but fails in the container
        assertRawProblem(
                "POST /v1/runs HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: "
                        + "chunked\r\n\r\nzz\r\n",
                400);
        // a WebSocket upgrade on a path without a WebSocket handler
        assertRawProblem(
                "GET /v1/runs HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: "
                        + "websocket\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
                404);
    }

    @Test
    void malformedJsonIsDescribedInTheServersOwnWords() throws Exception {
        String[][] cases = {
            {"{\"name\": x}", "line 1, column"},
            {"{\"name\": 01}", "number"},
            {"{\"name\": NaN}", "number"},
            {"{'name': 1}", "line 1, column 2"},
            {"/* c */ {}", "line 1, column 1"},
            {"{} {}", "more after the JSON value"},
            {"{\"name\": ", "ends before"},
            {"{\"name\": \"a\u0001\"}", "control character"},
            {"{\"name\": \"\\q\"}", "escape"},
            {"{\"name\": [1}", "line 1"},
        };
        for (String[] c : cases) {
            JsonNode p = assertProblem(server.post("/v1/runs", c[0]), 400);
            assertThat(p.get("type").asText()).endsWith("/malformed-json");
            assertThat(p.get("detail").asText())
                    .as(c[0])
                    .startsWith("the body is not valid JSON: ")
                    .contains(c[1]);
            assertNoLeak(p.toString());
        }
        JsonNode longNumber =
                assertProblem(server.post("/v1/runs", "{\"input\": {\"n\": [0, " + "1".repeat(2000) + "]}}"), 400);
        assertThat(longNumber.get("errors").get(0).get("field").asText()).isEqualTo("$.input.n[1]");
        assertNoLeak(longNumber.toString());
        JsonNode deep =
                assertProblem(server.post("/v1/runs", "{\"input\": " + "[".repeat(5000) + "]".repeat(5000) + "}"), 400);
        assertThat(deep.get("errors").get(0).get("field").asText()).isEqualTo("$.input");
        assertNoLeak(deep.toString());

        byte[] badUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/runs"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(badUtf8))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("not valid UTF-8");
        assertNoLeak(r.body());
    }
}

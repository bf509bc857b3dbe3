package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.internal.json.Json;
import dev.tern.examples.Demo;
import dev.tern.server.http.TernHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent run's {@code trace_url} comes from the server's configured public URL (default: where it listens), never
 * from the request: a forged {@code Host} or forwarding header cannot point it at another site.
 */
class TraceUrlTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String[] FORGED = {
        "Host: evil.example:666",
        "X-Forwarded-Host: evil.example",
        "X-Forwarded-Proto: https",
        "Forwarded: host=evil.example;proto=https"
    };

    @TempDir
    Path dir;

    @Test
    void byDefaultTheTraceUrlIsWhereTheServerListensWhateverTheHostHeaderSays() throws Exception {
        try (LocalNode node = LocalNode.start(EngineConfig.embedded(dir).withFsync(false), Demo.definitions())) {
            String runId = finishedHello(node);
            assertThat(traceUrl(node.port(), runId)).isEqualTo("http://127.0.0.1:" + node.port() + "/runs/" + runId);
        }
    }

    @Test
    void aConfiguredPublicUrlIsTheBaseOfTheTraceUrl() throws Exception {
        var settings = new TernHttpServer.Settings("127.0.0.1", 0, null, 10L << 20, "https://tern.example.com/base/");
        try (LocalNode node =
                LocalNode.start(EngineConfig.embedded(dir).withFsync(false), Demo.definitions(), settings)) {
            String runId = finishedHello(node);
            assertThat(traceUrl(node.port(), runId)).isEqualTo("https://tern.example.com/base/runs/" + runId);
        }
    }

    @Test
    void aPublicUrlMustBeAnAbsoluteHttpUrl() {
        for (String bad : new String[] {
            "ftp://tern.example.com",
            "not a url",
            "/relative",
            "https://tern.example.com/?q=1",
            "https://u:p@tern.example.com"
        }) {
            assertThatThrownBy(() -> new TernHttpServer.Settings("127.0.0.1", 0, null, 1024, bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("public URL");
        }
        assertThat(new TernHttpServer.Settings("127.0.0.1", 0, null, 1024).publicUrl())
                .isNull();
    }

    @Test
    void theServerCommandTakesThePublicUrlFromItsFlagOrTheEnvironment() throws Exception {
        try (ServerProcess flag =
                        ServerProcess.start(dir.resolve("a"), Map.of(), "--public-url", "https://flag.example");
                ServerProcess env = ServerProcess.start(
                        dir.resolve("b"), Map.of("TERN_PUBLIC_URL", "https://env.example:8443/tern"))) {
            for (var entry : Map.of(flag, "https://flag.example", env, "https://env.example:8443/tern")
                    .entrySet()) {
                int port = Integer.parseInt(entry.getKey()
                        .baseUrl()
                        .substring(entry.getKey().baseUrl().lastIndexOf(':') + 1));
                String runId = Json.MAPPER
                        .readTree(exchange(port, "POST", "/api/workflows/hello", "{\"input\": {\"name\": \"Ada\"}}"))
                        .get("runId")
                        .asText();
                assertThat(traceUrl(port, runId)).isEqualTo(entry.getValue() + "/runs/" + runId);
            }
        }
    }

    static String finishedHello(LocalNode node) throws InterruptedException {
        String runId = node.post("/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}")
                .get("runId")
                .asText();
        node.await("/v1/runs/" + runId, r -> r.get("status").asText().equals("completed"), WAIT, "completion");
        return runId;
    }

    /** The agent-run view's trace_url, read with forged Host and forwarding headers. */
    static String traceUrl(int port, String runId) throws Exception {
        try (RawHttp http = RawHttp.send(port, "GET", "/v1/runs/" + runId + "?view=agent-run", FORGED)) {
            RawHttp.Head head = http.head(WAIT);
            String body = http.body(head, WAIT);
            assertThat(head.status()).as(body).isEqualTo(200);
            JsonNode view = Json.MAPPER.readTree(body);
            return view.get("trace_url").asText();
        }
    }

    static String exchange(int port, String method, String path, String body) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        var response = java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}

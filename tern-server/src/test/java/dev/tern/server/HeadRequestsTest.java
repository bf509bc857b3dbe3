package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A HEAD answers what the GET of the same path would, without its body, over real HTTP: 404 for a run that does not
 * exist, 200 and the GET's content type for one that does, 401 without a token; a HEAD of a run's event stream gets the
 * stream's headers and ends at once.
 */
class HeadRequestsTest {
    static final String TOKEN = "head-test-token";

    @TempDir
    Path dir;

    TestServer server;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        server = TestServer.start(dir, TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<byte[]> head(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aHeadAnswersWhatTheGetWould() throws Exception {
        TestServer.Response scheduled =
                server.send("POST", "/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}", TOKEN);
        String runId = scheduled.body().get("runId").asText();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> server.send("GET", "/v1/runs/" + runId, null, TOKEN)
                        .body()
                        .path("status")
                        .asText()
                        .equals("completed"));
        String missing = "run_0000000000000000000000";
        for (String path : new String[] {"/v1/runs/%s", "/api/workflows/hello/%s", "/v1/runs/%s/history"}) {
            HttpResponse<byte[]> found = head(path.formatted(runId), TOKEN);
            assertThat(found.statusCode()).as("HEAD " + path).isEqualTo(200);
            assertThat(found.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(found.body()).isEmpty();
            assertThat(head(path.formatted(missing), TOKEN).statusCode())
                    .as("HEAD " + path + " of a missing run")
                    .isEqualTo(server.send("GET", path.formatted(missing), null, TOKEN)
                            .status())
                    .isEqualTo(404);
            assertThat(head(path.formatted(runId), null).statusCode())
                    .as("HEAD " + path + " without a token")
                    .isEqualTo(401);
        }
    }

    @Test
    void aHeadOfARunsStreamEndsAfterItsHeaders() throws Exception {
        TestServer.Response scheduled =
                server.send("POST", "/v1/runs", "{\"name\": \"sleepy\", \"input\": {\"seconds\": 3600}}", TOKEN);
        String runId = scheduled.body().get("runId").asText();
        HttpResponse<byte[]> stream = head("/v1/runs/" + runId + "/stream", TOKEN);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(head("/v1/runs/run_0000000000000000000000/stream", TOKEN).statusCode())
                .isEqualTo(404);
    }
}

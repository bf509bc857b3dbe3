package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.server.auth.TokenRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Two organisations sharing a server, over real HTTP on both stores: another organisation's runs do not exist on any
 * route (404, never 403) nor in any list; idempotency keys and schedule names are per organisation; a quota of
 * unfinished runs answers 429 with Retry-After and recovers; who did what is in the history.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class OrgIsolationApiTest {
    static final String ACME = "acme-admin-token";
    static final String GLOBEX = "globex-admin-token";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Parameter
    String storeKind;

    @TempDir
    Path dir;

    TestStore store;
    TestServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Path file = dir.resolve("tokens.json");
        Files.writeString(file, """
                {"tokens": [
                  {"token": "%s", "org": "acme", "role": "admin", "name": "acme-ops"},
                  {"token": "%s", "org": "globex", "role": "admin", "name": "globex-ops"}],
                 "orgs": {"acme": {"maxActiveRuns": 3}}}
                """.formatted(ACME, GLOBEX));
        store = TestStore.of(storeKind, dir.resolve("data"));
        server = TestServer.startWithTokens(store.config(), TokenRegistry.of(file, null));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (store != null) store.close();
    }

    TestServer.Response send(String token, String method, String path, String body) {
        return server.send(method, path, body, token);
    }

    /** Status of a request whose body may not be JSON (a stream). */
    int status(String token, String method, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody());
        HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode();
    }

    String schedule(String token, String name, String input, String extra) {
        TestServer.Response r =
                send(token, "POST", "/v1/runs", "{\"name\": \"" + name + "\", \"input\": " + input + extra + "}");
        assertThat(r.status()).as(r.raw()).isIn(200, 201);
        return r.body().get("runId").asText();
    }

    List<String> listed(String token, String path) {
        JsonNode runs = send(token, "GET", path, null).body().path("runs");
        return StreamSupport.stream(runs.spliterator(), false)
                .map(r -> r.path("runId").asText())
                .toList();
    }

    @Test
    void anotherOrganisationsRunsDoNotExistOnAnyRouteNorInAnyList() throws Exception {
        String hello = schedule(ACME, "hello", "{\"name\": \"Ada\"}", ", \"threadId\": \"t-1\"");
        await().atMost(WAIT)
                .until(() -> send(ACME, "GET", "/v1/runs/" + hello, null)
                        .body()
                        .path("status")
                        .asText()
                        .equals("completed"));
        String approval = schedule(ACME, "approval", "{}", "");
        await().atMost(WAIT)
                .until(() -> send(ACME, "GET", "/v1/runs/" + approval, null)
                        .body()
                        .path("status")
                        .asText()
                        .equals("awaiting-human"));
        String interaction = send(ACME, "GET", "/v1/runs/" + approval + "/interactions", null)
                .body()
                .path("interactions")
                .get(0)
                .path("interactionId")
                .asText();
        String chat = send(ACME, "POST", "/api/agents/chat", "{\"input\": {}}")
                .body()
                .path("runId")
                .asText();
        String own = schedule(GLOBEX, "hello", "{\"name\": \"Lin\"}", "");

        List<String[]> routes = List.of(
                new String[] {"GET", "/v1/runs/" + hello},
                new String[] {"GET", "/v1/runs/" + hello + "?view=agent-run"},
                new String[] {"GET", "/v1/runs/" + hello + "?view=resource"},
                new String[] {"GET", "/v1/runs/" + hello + "/history"},
                new String[] {"GET", "/v1/runs/" + hello + "/export"},
                new String[] {"GET", "/v1/runs/" + hello + "/webhooks"},
                new String[] {"GET", "/v1/runs/" + hello + "/stream"},
                new String[] {"GET", "/v1/runs/" + hello + "/compare/" + own},
                new String[] {"GET", "/v1/runs/" + own + "/compare/" + hello},
                new String[] {"GET", "/api/workflows/hello/" + hello},
                new String[] {"GET", "/api/agents/chat/" + chat},
                new String[] {"GET", "/v1/runs/" + approval + "/interactions"},
                new String[] {"POST", "/v1/runs/" + approval + "/cancel"},
                new String[] {"POST", "/v1/runs/" + hello + "/fork"},
                new String[] {"POST", "/v1/runs/" + chat + "/events"},
                new String[] {"PUT", "/api/agents/chat/" + chat},
                new String[] {"POST", "/v1/runs/" + approval + "/interactions/" + interaction});
        for (String[] route : routes) {
            String body = route[0].equals("GET") ? null : bodyFor(route[1]);
            int status = route[1].endsWith("/stream")
                    ? status(GLOBEX, route[0], route[1])
                    : send(GLOBEX, route[0], route[1], body).status();
            assertThat(status)
                    .as("%s %s with another organisation's token", route[0], route[1])
                    .isEqualTo(404);
            // the owner sees it
            if (route[0].equals("GET") && !route[1].endsWith("/stream"))
                assertThat(send(ACME, route[0], route[1].replace(own, hello), null)
                                .status())
                        .as("%s %s with the owner's token", route[0], route[1])
                        .isEqualTo(200);
        }
        // each organisation's runs stay its own once the server remembers whose they are (asked twice, warm)
        for (int i = 0; i < 2; i++) {
            assertThat(send(GLOBEX, "GET", "/v1/runs/" + own, null).status()).isEqualTo(200);
            assertThat(send(ACME, "GET", "/v1/runs/" + own, null).status()).isEqualTo(404);
            assertThat(send(ACME, "GET", "/v1/runs/" + hello, null).status()).isEqualTo(200);
            assertThat(send(GLOBEX, "GET", "/v1/runs/" + hello, null).status()).isEqualTo(404);
        }
        assertThat(send(ACME, "GET", "/v1/runs/" + approval, null)
                        .body()
                        .path("status")
                        .asText())
                .as("globex's cancel did not touch it")
                .isEqualTo("awaiting-human");

        assertThat(listed(GLOBEX, "/v1/runs")).containsExactly(own);
        assertThat(listed(ACME, "/v1/runs")).contains(hello, approval, chat).doesNotContain(own);
        assertThat(listed(GLOBEX, "/v1/threads/t-1/runs")).isEmpty();
        assertThat(listed(ACME, "/v1/threads/t-1/runs")).containsExactly(hello);
        assertThat(send(ACME, "GET", "/v1/runs/" + hello + "?view=resource", null)
                        .body()
                        .path("orgId")
                        .asText())
                .isEqualTo("acme");
    }

    static String bodyFor(String path) {
        if (path.endsWith("/fork")) return "{\"fromStep\": 0}";
        if (path.endsWith("/events")) return "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": []}}";
        if (path.startsWith("/api/agents/")) return "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": []}}";
        if (path.contains("/interactions/")) return "{\"answer\": {\"approved\": true}}";
        return "{}";
    }

    /** A HEAD, which the router answers without running the route, tells nothing of another organisation's runs. */
    @Test
    void aHeadCannotTellAnotherOrganisationsRunFromNone() throws Exception {
        String hello = schedule(ACME, "hello", "{\"name\": \"Ada\"}", "");
        for (String path : List.of("/v1/runs/%s", "/api/workflows/hello/%s", "/v1/runs/%s/history")) {
            int theirs = status(GLOBEX, "HEAD", path.formatted(hello));
            int none = status(GLOBEX, "HEAD", path.formatted("run_0000000000000000000000"));
            assertThat(theirs).as("HEAD " + path).isEqualTo(none);
        }
    }

    @Test
    void idempotencyKeysAndScheduleNamesArePerOrganisation() {
        String a = schedule(ACME, "hello", "{\"name\": \"Ada\"}", ", \"idempotencyKey\": \"job-1\"");
        String b = schedule(GLOBEX, "hello", "{\"name\": \"Ada\"}", ", \"idempotencyKey\": \"job-1\"");
        assertThat(a).isNotEqualTo(b);
        assertThat(schedule(ACME, "hello", "{\"name\": \"Ada\"}", ", \"idempotencyKey\": \"job-1\""))
                .isEqualTo(a);

        String spec = "{\"scheduleId\": \"nightly\", \"workflow\": \"hello\", \"input\": {\"name\": \"%s\"}, "
                + "\"cron\": \"0 3 * * *\"}";
        assertThat(send(ACME, "POST", "/v1/schedules", spec.formatted("acme")).status())
                .isEqualTo(201);
        assertThat(send(GLOBEX, "POST", "/v1/schedules", spec.formatted("globex"))
                        .status())
                .isEqualTo(201);
        assertThat(send(ACME, "GET", "/v1/schedules/nightly", null)
                        .body()
                        .path("input")
                        .path("name")
                        .asText())
                .isEqualTo("acme");
        assertThat(send(GLOBEX, "GET", "/v1/schedules", null).body().path("schedules"))
                .hasSize(1);
        assertThat(send(GLOBEX, "DELETE", "/v1/schedules/nightly", null).status())
                .isIn(200, 204);
        assertThat(send(ACME, "GET", "/v1/schedules/nightly", null).status()).isEqualTo(200);
        assertThat(send(GLOBEX, "GET", "/v1/schedules/nightly", null).status()).isEqualTo(404);
    }

    @Test
    void aQuotaOfUnfinishedRunsAnswers429AndRecoversAndWhoDidWhatIsInTheHistory() throws Exception {
        String first = schedule(ACME, "sleepy", "{\"seconds\": 3600}", "");
        schedule(ACME, "sleepy", "{\"seconds\": 3600}", "");
        schedule(ACME, "sleepy", "{\"seconds\": 3600}", "");
        TestServer.Response over =
                send(ACME, "POST", "/v1/runs", "{\"name\": \"sleepy\", \"input\": {\"seconds\": 1}}");
        assertThat(over.status()).as(over.raw()).isEqualTo(429);
        assertThat(over.contentType()).startsWith("application/problem+json");
        assertThat(over.raw()).contains("maxActiveRuns");
        HttpResponse<String> raw = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/runs"))
                        .header("Authorization", "Bearer " + ACME)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\": \"sleepy\", \"input\": {\"seconds\": 1}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(429);
        assertThat(raw.headers()
                        .firstValue("Retry-After")
                        .map(Integer::parseInt)
                        .orElse(0))
                .isPositive();
        assertThat(schedule(GLOBEX, "sleepy", "{\"seconds\": 1}", ""))
                .as("globex is not held")
                .isNotBlank();

        assertThat(send(ACME, "POST", "/v1/runs/" + first + "/cancel", null).status())
                .isEqualTo(200);
        await().atMost(WAIT)
                .until(() -> send(ACME, "POST", "/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}")
                                .status()
                        == 201);

        JsonNode history =
                send(ACME, "GET", "/v1/runs/" + first + "/history", null).body().path("events");
        assertThat(history.get(0).path("data").path("caller").path("by").asText())
                .isEqualTo("acme-ops");
        JsonNode cancel = StreamSupport.stream(history.spliterator(), false)
                .filter(e -> e.path("type").asText().equals("cancel_requested"))
                .findFirst()
                .orElseThrow();
        assertThat(cancel.path("data").path("by").asText()).isEqualTo("acme-ops");
    }
}

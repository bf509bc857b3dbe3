package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of generated hostile requests against every route the served OpenAPI document declares, on both stores: odd
 * path and query values (NUL bytes, huge numbers, unicode, very long), wrong methods, bodies that are not JSON, of the
 * wrong shape, nested deep, with unknown fields, NUL bytes, numbers out of range. Every answer must be a 4xx (or a 2xx)
 * problem document without a Java, Jackson or Jetty name in it; the server must stay healthy. The seed is printed on
 * failure, so a failing case can be replayed.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class HostileClientFuzzTest {
    static final int REQUESTS = 2_000;
    static final Pattern INTERNALS =
            Pattern.compile("java\\.|javax\\.|jakarta\\.|Exception|com\\.fasterxml|jackson|Jackson|org\\.eclipse|"
                    + "jetty|Jetty|javalin|Javalin|"
                    + "StreamReadConstraints|JsonReadFeature|\\tat "
                    + "|dev\\.tern\\.|org\\.sqlite|postgresql\\.|PSQLException|SQLITE_");

    @Parameter
    String store;

    @TempDir
    Path dir;

    TestStore db;
    TestServer server;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        db = TestStore.of(store, dir);
        server = TestServer.start(db.config(), null, 256 * 1024);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (db != null) db.close();
    }

    record Route(String method, String template) {}

    @Test
    void hostileRequestsGetProblemsNeverFailures() throws Exception {
        long seed = Long.getLong("tern.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        List<Route> routes = routes(server.get("/openapi.json").body());
        assertThat(routes).hasSizeGreaterThan(20);
        String runId = server.post("/api/agents/chat", "{\"input\": {}}")
                .body()
                .get("runId")
                .asText();
        Values values = new Values(random, runId);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < REQUESTS && failures.size() < 10; i++) {
            Route route = routes.get(random.nextInt(routes.size()));
            String method =
                    random.nextInt(10) == 0 ? values.pick("GET", "POST", "PUT", "DELETE", "PATCH") : route.method();
            String path = fill(route.template(), values);
            if (random.nextInt(3) == 0) path += "?" + values.query();
            String body = method.equals("GET") || method.equals("DELETE") ? null : values.body();
            HttpResponse<String> r;
            try {
                r = send(method, path, body, values);
            } catch (java.io.IOException e) {
                failures.add(method + " " + path + " -> connection failed: " + e);
                continue;
            }
            String problem = check(r);
            if (problem != null)
                failures.add(method + " " + path + (body == null ? "" : " " + abbreviate(body)) + " -> "
                        + r.statusCode() + " " + problem + ": " + abbreviate(r.body()));
        }
        assertThat(failures)
                .as("seed %d (replay with -Dtern.fuzz.seed=%d)", seed, seed)
                .isEmpty();
        assertThat(server.get("/health").status()).isEqualTo(200);
        TestServer.Response ok = server.post("/api/workflows/hello", "{\"input\": {\"name\": \"after\"}}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(server.get("/v1/runs/" + runId + "/history").status()).isEqualTo(200);
    }

    /** Why the response is wrong, or null. */
    static String check(HttpResponse<String> r) {
        int status = r.statusCode();
        boolean noModel = status == 503
                && r.body().contains("/model-not-configured"); // the demo's LLM agent on a server without a model
        if (status >= 500 && !noModel) return "server error";
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (status >= 400 && !type.startsWith("application/problem+json"))
            return "not a problem document (" + type + ")";
        if (INTERNALS.matcher(r.body()).find()) return "internal names in the body";
        return null;
    }

    HttpResponse<String> send(String method, String path, String body, Values values) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) header(b, "Content-Type", values.contentType());
        if (values.chance(8)) header(b, "Idempotency-Key", values.text());
        if (values.chance(10)) header(b, "Last-Event-ID", values.text());
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sets the header unless the JDK's client refuses to send such a value (bytes it cannot send: the raw-socket tests
     * cover those).
     */
    static void header(HttpRequest.Builder b, String name, String value) {
        try {
            b.header(name, value);
        } catch (IllegalArgumentException refusedByTheClient) {
            // not sendable with this client
        }
    }

    static List<Route> routes(JsonNode openApi) {
        List<Route> routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = openApi.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            if (p.getKey().endsWith("/stream"))
                continue; // a stream of a live run stays open: covered by the streaming tests
            for (String m : List.of("get", "post", "put", "delete")) {
                if (p.getValue().has(m)) routes.add(new Route(m.toUpperCase(), p.getKey()));
            }
        }
        return routes;
    }

    static String fill(String template, Values values) {
        StringBuilder out = new StringBuilder();
        var m = Pattern.compile("\\{([^}]+)}").matcher(template);
        while (m.find())
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(values.pathValue(m.group(1))));
        m.appendTail(out);
        return out.toString();
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** Random values, valid and hostile, for every place a client can put something. */
    static final class Values {
        final Random random;
        final String runId;
        static final List<String> NAMES =
                List.of("hello", "chat", "echo", "sleepy", "flaky", "approval", "assistant", "nope", "");

        Values(Random random, String runId) {
            this.random = random;
            this.runId = runId;
        }

        boolean chance(int oneIn) {
            return random.nextInt(oneIn) == 0;
        }

        String pick(String... options) {
            return options[random.nextInt(options.length)];
        }

        String text() {
            return switch (random.nextInt(12)) {
                case 0 -> "";
                case 1 -> "\u0000";
                case 2 -> "a\u0000b";
                case 3 -> "x".repeat(5_000);
                case 4 -> "ünïcødé-✓-😀";
                case 5 -> "../../etc/passwd";
                case 6 -> "' OR 1=1 --";
                case 7 -> "%zz";
                case 8 -> "run_" + "A".repeat(random.nextInt(40));
                case 9 -> Long.toString(random.nextLong());
                case 10 -> "\r\n";
                default -> "k" + random.nextInt(1000);
            };
        }

        String pathValue(String param) {
            if (chance(3)) {
                return switch (param) {
                    case "runId" -> runId;
                    case "agentName" -> "chat";
                    case "workflowName", "name" -> "hello";
                    case "agentId" -> runId;
                    case "otherRunId" -> runId;
                    default -> "x";
                };
            }
            return encode(chance(2) ? text() : NAMES.get(random.nextInt(NAMES.size())));
        }

        String query() {
            List<String> keys = List.of(
                    "limit",
                    "cursor",
                    "after",
                    "waitSeconds",
                    "view",
                    "status",
                    "kind",
                    "name",
                    "threadId",
                    "parentRunId");
            String key = keys.get(random.nextInt(keys.size()));
            String value = switch (random.nextInt(6)) {
                case 0 -> "-1";
                case 1 -> "99999999999999999999";
                case 2 -> "1e3";
                case 3 -> "0";
                default -> text();
            };
            return key + "=" + encode(value);
        }

        String contentType() {
            return pick(
                    "application/json",
                    "application/json",
                    "text/plain",
                    "application/xml",
                    "application/json; charset=latin1",
                    "");
        }

        String body() {
            return switch (random.nextInt(14)) {
                case 0 -> "";
                case 1 -> "{";
                case 2 -> "[1, 2, 3]";
                case 3 -> "null";
                case 4 -> "\"just a string\"";
                case 5 -> "{\"input\": " + "[".repeat(2_000) + "]".repeat(2_000) + "}";
                case 6 -> "{\"name\": \"hello\", \"input\": {\"name\": \"a\\u0000b\"}}";
                case 7 ->
                    "{\"name\": \"sleepy\", \"input\": {\"seconds\": "
                            + pick("2147483648", "1e300", "-1e400", "1.5", "\"ten\"", "NaN") + "}}";
                case 8 ->
                    "{\"input\": {}, \"timeoutSecond\": 5, \"idempotencyKey\": "
                            + pick("\"\"", "5", "\"a\\u0000\"", "{}") + "}";
                case 9 ->
                    "{\"eventName\": " + pick("\"\"", "\"a\\u0000b\"", "7", "null", "\"end\"") + ", \"eventInput\": "
                            + pick("[]", "\"x\"", "{}", "{\"end\": \"yes\"}") + "}";
                case 10 -> "{\"answer\": " + pick("null", "{}", "[]", "{\"approved\": \"maybe\"}") + "}";
                case 11 ->
                    "{\"workflow\": \"hello\", \"cron\": " + pick("\"* * *\"", "\"61 * * * *\"", "5", "\"0 9 * * *\"")
                            + ", \"timezone\": " + pick("\"Mars/Olympus\"", "\"\\u0000\"", "\"UTC\"")
                            + ", \"input\": {\"name\": \"x\"}}";
                case 12 ->
                    "{\"name\": \"hello\", \"input\": {\"name\": \"x\"}, \"maxCostUsd\": "
                            + pick("-1", "\"1\"", "1e999", "0.5") + "}";
                default -> "\u0000\u0001\u0002 binary";
            };
        }

        static String encode(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}

package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import dev.tern.server.OtlpReceiver.ReceivedSpan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern server} as a real process exporting its traces over OTLP/HTTP (protobuf) to {@link OtlpReceiver}, set up
 * only by the standard {@code OTEL_*} variables: a request's server span joins the caller's {@code traceparent}, the
 * run it schedules has its attempt and step spans in that trace, and after a SIGKILL a new process on the same data
 * directory (another node) puts the run's next attempt in the same trace, under the span the run was scheduled from.
 */
class TraceExportTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration EXPORT_WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    final HttpClient http = HttpClient.newHttpClient();

    record Scheduled(String runId, String traceId, String callerSpanId) {}

    @Test
    void aRunScheduledWithATraceparentExportsItsSpansInTheCallersTrace() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver();
                ServerProcess server = ServerProcess.start(dataDir, env(receiver), "--node-id", "node-a")) {
            Scheduled run = schedule(server, "hello", "{\"name\": \"otel\"}");
            JsonNode done = awaitFinished(server, run.runId());
            assertThat(done.get("status").asText()).isEqualTo("completed");
            assertThat(done.get("output").get("message").asText()).isEqualTo("Hello, otel!");

            ReceivedSpan post = receiver.await("the server span of the POST", EXPORT_WAIT, s -> isServerSpanOf(s, run));
            assertThat(post.parentSpanId()).as("child of the caller's span").isEqualTo(run.callerSpanId());
            assertThat(post.name()).isEqualTo("POST /v1/runs");
            assertThat(post.string("http.route")).isEqualTo("/v1/runs");
            assertThat(post.integer("http.response.status_code")).isEqualTo(201L);

            ReceivedSpan attempt = receiver.await(
                    "the attempt span of " + run.runId(),
                    EXPORT_WAIT,
                    s -> s.name().equals("workflow hello") && run.runId().equals(s.string("tern.run.id")));
            assertThat(attempt.traceId()).isEqualTo(run.traceId());
            assertThat(attempt.parentSpanId()).as("child of the request's span").isEqualTo(post.spanId());
            assertThat(attempt.kind()).isEqualTo(OtlpReceiver.KIND_INTERNAL);
            assertThat(attempt.integer("tern.run.attempt")).isEqualTo(1L);
            assertThat(attempt.string("tern.node.id")).isEqualTo("node-a");
            assertThat(attempt.string("tern.run.outcome")).isEqualTo("completed");

            for (String step : List.of("chooseSalutation", "formatGreeting")) {
                ReceivedSpan s = receiver.await(
                        "the span of step " + step,
                        EXPORT_WAIT,
                        span -> span.name().equals("step " + step)
                                && run.traceId().equals(span.traceId()));
                assertThat(s.parentSpanId())
                        .as("step %s under the attempt", step)
                        .isEqualTo(attempt.spanId());
                assertThat(s.string("tern.step.name")).isEqualTo(step);
                assertThat(s.integer("tern.step.seq")).isEqualTo(step.equals("chooseSalutation") ? 0L : 1L);
                assertThat(s.string("tern.run.id")).isEqualTo(run.runId());
            }

            // the GET polls made traces of their own (no traceparent), named after the route, never the run's id
            receiver.await(
                    "the server span of a GET of the run",
                    EXPORT_WAIT,
                    s -> s.name().equals("GET /v1/runs/{runId}") && s.kind() == OtlpReceiver.KIND_SERVER);
            assertCleanExport(receiver, List.of(run.runId()));
        }
    }

    @Test
    void afterSigkillTheNextAttemptOnAnotherNodeJoinsTheTraceTheRunWasScheduledIn() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Scheduled flaky;
            Scheduled sleepy;
            ReceivedSpan flakyPost;
            ReceivedSpan sleepyPost;
            ReceivedSpan sleepyFirst;
            try (ServerProcess first = ServerProcess.start(dataDir, env(receiver), "--node-id", "node-a")) {
                // executing at the kill: seven failures of its step, retried in-process after 0.1, 0.2, 0.4, 0.8 s,
                // then every second (4.5 s in all)
                flaky = schedule(first, "flaky", "{\"failures\": 7}");
                // suspended at the kill: a durable sleep, its attempt's span ended ("suspended") and exported
                sleepy = schedule(first, "sleepy", "{\"seconds\": 4}");
                Scheduled f = flaky;
                Scheduled s = sleepy;
                // the kill waits for the scheduling requests' server spans to be exported (a batch every 100 ms), so
                // the span each run was stored under is never lost with the process
                flakyPost = receiver.await("the server span scheduling flaky", EXPORT_WAIT, x -> isServerSpanOf(x, f));
                sleepyPost =
                        receiver.await("the server span scheduling sleepy", EXPORT_WAIT, x -> isServerSpanOf(x, s));
                sleepyFirst = receiver.await(
                        "sleepy's first attempt, suspended",
                        EXPORT_WAIT,
                        x -> x.name().equals("workflow sleepy") && s.runId().equals(x.string("tern.run.id")));
                JsonNode beforeKill = get(first, "/v1/runs/" + flaky.runId());
                assertThat(beforeKill.get("status").asText())
                        .as("flaky still retrying when killed")
                        .isEqualTo("running");
                assertThat(beforeKill.get("attempt").asInt()).isEqualTo(1);
                assertThat(get(first, "/v1/runs/" + sleepy.runId())
                                .get("status")
                                .asText())
                        .as("sleepy still asleep when killed")
                        .isEqualTo("running");
                first.kill();
            }
            assertThat(sleepyFirst.string("tern.run.outcome")).isEqualTo("suspended");
            assertThat(sleepyFirst.string("tern.node.id")).isEqualTo("node-a");
            assertThat(sleepyFirst.parentSpanId()).isEqualTo(sleepyPost.spanId());
            // what the runs stored: the context of the request's server span, which outlives the process
            assertThat(storedTraceParent(flaky.runId()))
                    .isEqualTo("00-" + flaky.traceId() + "-" + flakyPost.spanId() + "-01");
            assertThat(storedTraceParent(sleepy.runId()))
                    .isEqualTo("00-" + sleepy.traceId() + "-" + sleepyPost.spanId() + "-01");

            try (ServerProcess second = ServerProcess.start(dataDir, env(receiver), "--node-id", "node-b")) {
                JsonNode flakyDone = awaitFinished(second, flaky.runId());
                assertThat(flakyDone.get("status").asText())
                        .as("flaky: %s", flakyDone)
                        .isEqualTo("completed");
                assertThat(flakyDone.get("attempt").asInt()).isEqualTo(2);
                assertThat(flakyDone.get("output").get("attempts").asInt())
                        .as("the step failed seven times again in the new attempt")
                        .isEqualTo(8);
                JsonNode sleepyDone = awaitFinished(second, sleepy.runId());
                assertThat(sleepyDone.get("status").asText())
                        .as("sleepy: %s", sleepyDone)
                        .isEqualTo("completed");
                assertThat(sleepyDone.get("output").get("sleptSeconds").asInt()).isEqualTo(4);

                // the run executing at the kill: a new attempt on node-b, under the span it was scheduled from (the
                // first attempt's span was still open at the kill, so it died with the process, never exported)
                ReceivedSpan retried = receiver.await(
                        "flaky's attempt on node-b",
                        EXPORT_WAIT,
                        x -> x.name().equals("workflow flaky") && flaky.runId().equals(x.string("tern.run.id")));
                assertThat(retried.string("tern.node.id")).isEqualTo("node-b");
                assertThat(retried.integer("tern.run.attempt")).isEqualTo(2L);
                assertThat(retried.traceId()).isEqualTo(flaky.traceId());
                assertThat(retried.parentSpanId()).isEqualTo(flakyPost.spanId());
                assertThat(retried.string("tern.run.outcome")).isEqualTo("completed");
                ReceivedSpan step = receiver.await(
                        "flaky's step on node-b",
                        EXPORT_WAIT,
                        x -> x.name().equals("step unreliable")
                                && x.parentSpanId().equals(retried.spanId()));
                assertThat(step.traceId()).isEqualTo(flaky.traceId());
                assertThat(step.eventNames()).contains("retry");

                // the run asleep at the kill: its attempt resumed on node-b, in the same trace, same parent
                ReceivedSpan resumed = receiver.await(
                        "sleepy's attempt resumed on node-b",
                        EXPORT_WAIT,
                        x -> x.name().equals("workflow sleepy")
                                && sleepy.runId().equals(x.string("tern.run.id"))
                                && "node-b".equals(x.string("tern.node.id")));
                assertThat(resumed.integer("tern.run.attempt")).isEqualTo(1L);
                assertThat(resumed.traceId()).isEqualTo(sleepy.traceId());
                assertThat(resumed.parentSpanId()).isEqualTo(sleepyPost.spanId());
                assertThat(resumed.string("tern.run.outcome")).isEqualTo("completed");

                // every span of both runs' traces descends from the caller's span
                for (Scheduled run : List.of(flaky, sleepy)) {
                    List<ReceivedSpan> trace = receiver.spans().stream()
                            .filter(x -> x.traceId().equals(run.traceId()))
                            .toList();
                    assertThat(trace)
                            .as("trace of %s:%n%s", run.runId(), OtlpReceiver.describe(trace))
                            .allSatisfy(x -> assertThat(ancestors(trace, x)).endsWith(run.callerSpanId()));
                }
                assertCleanExport(receiver, List.of(flaky.runId(), sleepy.runId()));
            }
        }
    }

    /** The span ids above {@code span} in {@code trace}, nearest first, up to the first one not in it. */
    private static List<String> ancestors(List<ReceivedSpan> trace, ReceivedSpan span) {
        List<String> out = new java.util.ArrayList<>();
        String parent = span.parentSpanId();
        while (!parent.isEmpty() && out.size() < 100) {
            out.add(parent);
            String id = parent;
            parent = trace.stream()
                    .filter(x -> x.spanId().equals(id))
                    .map(ReceivedSpan::parentSpanId)
                    .findFirst()
                    .orElse("");
        }
        return out;
    }

    /**
     * Every span came as protobuf from service tern-test, and no span's name holds a run id (they go in attributes).
     */
    private static void assertCleanExport(OtlpReceiver receiver, List<String> runIds) {
        assertThat(receiver.rejected()).isEmpty();
        assertThat(receiver.undecodable()).isEmpty();
        List<ReceivedSpan> spans = receiver.spans();
        assertThat(spans).extracting(ReceivedSpan::serviceName).containsOnly("tern-test");
        for (String runId : runIds) {
            assertThat(spans)
                    .as("spans:%n%s", OtlpReceiver.describe(spans))
                    .noneMatch(s -> s.name().contains(runId));
        }
    }

    private static boolean isServerSpanOf(ReceivedSpan span, Scheduled run) {
        return span.kind() == OtlpReceiver.KIND_SERVER
                && span.traceId().equals(run.traceId())
                && span.parentSpanId().equals(run.callerSpanId());
    }

    private static Map<String, String> env(OtlpReceiver receiver) {
        return Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "OTEL_SERVICE_NAME", "tern-test",
                "OTEL_BSP_SCHEDULE_DELAY", "100");
    }

    /** Schedules over HTTP under a fresh caller span: {@code traceparent: 00-<trace>-<span>-01}. */
    private Scheduled schedule(ServerProcess server, String workflow, String input) throws Exception {
        String traceId = hex(16);
        String spanId = hex(8);
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/runs"))
                        .header("Content-Type", "application/json")
                        .header("traceparent", "00-" + traceId + "-" + spanId + "-01")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\": \"" + workflow + "\", \"input\": " + input + "}"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new Scheduled(Json.MAPPER.readTree(r.body()).get("runId").asText(), traceId, spanId);
    }

    private JsonNode awaitFinished(ServerProcess server, String runId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode run = get(server, "/v1/runs/" + runId);
            if (List.of("completed", "failed", "cancelled")
                    .contains(run.get("status").asText())) return run;
            assertThat(System.nanoTime() < deadline)
                    .as("run %s finishes; last seen %s; server log:%n%s", runId, run, server.output())
                    .isTrue();
            Thread.sleep(100);
        }
    }

    private JsonNode get(ServerProcess server, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private String storedTraceParent(String runId) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("tern.db"));
                PreparedStatement ps = c.prepareStatement("SELECT trace_parent FROM runs WHERE id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("run %s stored", runId).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        b[0] |= 1; // never all zeros, which W3C trace context rejects
        return HexFormat.of().formatHex(b);
    }
}

package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.engine.EngineConfig;
import dev.tern.examples.Demo;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.server.http.TernHttpServer;
import dev.tern.server.telemetry.ServerTelemetry;
import dev.tern.testkit.model.FakeOpenAi;
import dev.tern.testkit.model.FakeReply;
import dev.tern.testkit.model.FakeReply.ToolCall;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics and traces of a real server: {@code /metrics} scraped after real runs, spans captured in memory: the
 * request's server span as a child of the caller's {@code traceparent}, the run's spans in that trace, an agent turn
 * with a model call and a tool call per the GenAI conventions, and {@code trace_url} from the configured template.
 */
class ObservabilityApiTest {
    static final String TOKEN = "metrics-token";
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";

    @TempDir
    Path dir;

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk otel;
    ServerTelemetry telemetry;
    FakeOpenAi model;
    TestServer server;

    @BeforeEach
    void start() {
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        telemetry = ServerTelemetry.of(otel);
        model = FakeOpenAi.start();
        server = TestServer.start(
                EngineConfig.embedded(dir)
                        .withFsync(false)
                        .withModel(new ModelEndpoint(model.baseUrl(), "sk-test", "gpt-test", 2.0, 4.0)),
                TOKEN,
                10L << 20,
                Demo.definitions(),
                new TernHttpServer.Telemetry(telemetry, "http://jaeger.test:16686/trace/{traceId}?run={runId}"));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (model != null) model.close();
        if (telemetry != null) telemetry.close();
        if (otel != null) otel.close();
    }

    String schedule(String name, String input) {
        TestServer.Response r = server.post("/v1/runs", "{\"name\": \"" + name + "\", \"input\": " + input + "}");
        assertThat(r.status()).as(r.raw()).isIn(200, 201, 202);
        return r.body().get("runId").asText();
    }

    String scrape() throws Exception {
        return scrape(TOKEN).body();
    }

    java.net.http.HttpResponse<String> scrape(String token) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/metrics"));
        if (token != null) request.header("Authorization", "Bearer " + token);
        var response = java.net.http.HttpClient.newHttpClient()
                .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (token != null) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        }
        return response;
    }

    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$")
                .matcher(scrape);
        assertThat(m.find()).as("series %s in\n%s", series, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void metricsCountRealRunsAndNeverLabelARunId() throws Exception {
        String hello = schedule("hello", "{\"name\": \"Ada\"}");
        String flaky = schedule("flaky", "{\"failures\": 1}");
        String sleepy = schedule("sleepy", "{\"seconds\": 3600}");
        assertThat(server.awaitRun(hello, Duration.ofSeconds(20)).path("status").asText())
                .isEqualTo("completed");
        assertThat(server.awaitRun(flaky, Duration.ofSeconds(30)).path("status").asText())
                .isEqualTo("completed");
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> server.get("/v1/runs/" + sleepy)
                                .body()
                                .path("status")
                                .asText(),
                        s -> !s.equals("queued"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            String text = scrape();
            assertThat(value(text, "tern_runs_started_total{kind=\"workflow\",name=\"hello\"}"))
                    .isEqualTo(1.0);
            assertThat(value(text, "tern_runs_finished_total{kind=\"workflow\",name=\"hello\",status=\"completed\"}"))
                    .isEqualTo(1.0);
            assertThat(value(text, "tern_step_retries_total{name=\"unreliable\",type=\"function\"}"))
                    .isEqualTo(1.0);
            assertThat(value(text, "tern_runs_waiting{reason=\"sleep\"}")).isEqualTo(1.0);
        });
        String text = scrape();
        assertThat(text)
                .contains("tern_step_duration_seconds_bucket{name=\"chooseSalutation\",outcome=\"completed\"")
                .contains("tern_store_commit_seconds_count")
                .contains("tern_store_batch_size_count")
                .contains("tern_runs_active")
                .contains("tern_node_runs_executing")
                .contains("tern_schedule_fires_total")
                .contains("tern_leases_taken_over_total")
                .contains("tern_runs_claimed_total{reason=\"new\"}")
                .contains("tern_store_deadlocks_total")
                .contains("tern_runs_deleted_total")
                .contains("jvm_memory_used_bytes")
                .contains("process_cpu_usage");
        for (String id : List.of(hello, flaky, sleepy)) assertThat(text).doesNotContain(id);

        var anonymous = scrape(null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void aCallersTraceparentIsTheParentOfTheRequestAndOfEveryRunSpan() throws Exception {
        TestServer.Response r = server.send(
                "POST",
                "/v1/runs",
                "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}",
                TOKEN,
                "traceparent",
                "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
        assertThat(r.status()).as(r.raw()).isIn(200, 201, 202);
        String runId = r.body().get("runId").asText();
        server.awaitRun(runId, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10)).until(() -> find("workflow hello") != null);

        SpanData request = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("POST /v1/runs"))
                .findFirst()
                .orElseThrow();
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(request.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(request.getAttributes().get(AttributeKey.stringKey("http.route")))
                .isEqualTo("/v1/runs");
        assertThat(request.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .isNotNull();
        SpanData attempt = find("workflow hello");
        assertThat(attempt.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(attempt.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(find("step chooseSalutation").getParentSpanId()).isEqualTo(attempt.getSpanId());

        // a route with an id is named by its template, never by the id
        server.get("/v1/runs/" + runId);
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).doesNotContain("GET /v1/runs/" + runId);
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).contains("GET /v1/runs/{runId}");
    }

    @Test
    void anAgentTurnIsTracedAndMeasuredPerTheGenAiConventions() throws Exception {
        model.enqueue(
                FakeReply.toolCalls(new ToolCall("call_1", "calculate", "{\"expression\": \"6*7\"}"))
                        .withUsage(10, 5),
                FakeReply.text("6 times 7 is 42.").withUsage(30, 8));
        TestServer.Response started = server.send(
                "POST",
                "/api/agents/assistant",
                "{\"input\": {}}",
                TOKEN,
                "traceparent",
                "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
        assertThat(started.status()).as(started.raw()).isEqualTo(200);
        String runId = started.body().get("runId").asText();
        TestServer.Response said = server.put(
                "/api/agents/assistant/" + runId,
                "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": [{\"role\": \"user\", \"content\": "
                        + "\"What is 6 times 7?\"}]}}");
        assertThat(said.status()).as(said.raw()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> find("invoke_agent assistant") != null);

        SpanData turn = find("invoke_agent assistant");
        assertThat(turn.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(turn.getAttributes().get(AttributeKey.stringKey("gen_ai.conversation.id")))
                .isEqualTo(runId);
        List<SpanData> chats = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("chat gpt-test"))
                .toList();
        assertThat(chats).hasSize(2);
        SpanData first = chats.get(0);
        assertThat(first.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(first.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
                .isEqualTo("chat");
        assertThat(first.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
                .isEqualTo("openai");
        assertThat(first.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
                .isEqualTo("gpt-test");
        assertThat(first.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
                .isEqualTo(10L);
        assertThat(first.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
                .isEqualTo(5L);
        assertThat(first.getAttributes().get(AttributeKey.stringKey("gen_ai.conversation.id")))
                .isEqualTo(runId);
        assertThat(first.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
                .as("message contents only when opted in")
                .isNull();
        SpanData modelStep = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(first.getParentSpanId()))
                .findFirst()
                .orElseThrow();
        assertThat(modelStep.getName()).isEqualTo("step model");
        assertThat(modelStep.getParentSpanId()).isEqualTo(turn.getSpanId());
        SpanData tool = find("execute_tool calculate");
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name")))
                .isEqualTo("calculate");
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.id")))
                .isEqualTo("call_1");
        assertThat(tool.getParentSpanId()).isEqualTo(turn.getSpanId());

        String text = scrape();
        String labels = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\","
                + "gen_ai_request_model=\"gpt-test\",gen_ai_response_model=\"gpt-test\"";
        assertThat(value(text, "gen_ai_client_token_usage_sum{" + labels + ",gen_ai_token_type=\"input\"}"))
                .isEqualTo(40.0);
        assertThat(value(text, "gen_ai_client_token_usage_sum{" + labels + ",gen_ai_token_type=\"output\"}"))
                .isEqualTo(13.0);
        assertThat(value(text, "gen_ai_client_operation_duration_seconds_count{" + labels + "}"))
                .isEqualTo(2.0);

        String traceUrl = server.get("/v1/runs/" + runId + "?view=agent-run")
                .body()
                .path("trace_url")
                .asText();
        assertThat(traceUrl).isEqualTo("http://jaeger.test:16686/trace/" + TRACE_ID + "?run=" + runId);
    }

    private SpanData find(String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElse(null);
    }
}

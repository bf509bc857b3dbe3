package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.WorkflowDefinition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Spans and meters of real runs, captured with OpenTelemetry's in-memory exporter and a Micrometer registry: attempt
 * and step spans, retries and failures on them, agent turns, the trace a run joins across a restart, and the counters.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class TelemetryTest {
    record In(int failures) {}

    record Out(String result) {}

    record Msg(String text) {}

    static final RetryPolicy FAST = RetryPolicy.defaults()
            .withMaxAttempts(3)
            .withInitialInterval(Duration.ofMillis(20))
            .withMaxInterval(Duration.ofMillis(20));

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final AtomicInteger calls = new AtomicInteger();
    OpenTelemetrySdk otel;
    EngineFixture fixture;
    TernEngine engine;

    @BeforeEach
    void start() {
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        fixture = new EngineFixture(store, dir);
        engine = fixture.start(definitions(), config("node-a"));
    }

    EngineConfig config(String node) {
        return fixture.config().withNodeId(node).withObservability(Observability.of(meters, otel));
    }

    Definitions definitions() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of("flaky", In.class, Out.class, (ctx, in) -> {
                    String a = ctx.step("first", String.class, () -> "a");
                    String b = ctx.step("second", StepOptions.defaults().withRetry(FAST), String.class, () -> {
                        if (calls.incrementAndGet() <= in.failures()) throw new IllegalStateException("not yet");
                        return "b";
                    });
                    return new Out(a + b);
                }))
                .workflow(WorkflowDefinition.of("sleepy", In.class, Out.class, (ctx, in) -> {
                    ctx.step("before", String.class, () -> "x");
                    ctx.sleep(Duration.ofSeconds(3));
                    return new Out(ctx.step("after", String.class, () -> "y"));
                }))
                .agent(AgentDefinition.<Msg, Msg, Msg>builder("echo", Msg.class, Msg.class, in -> in)
                        .on(
                                "say",
                                Msg.class,
                                (ctx, state, event) -> ctx.step(
                                        "shout",
                                        String.class,
                                        () -> event.text().toUpperCase()))
                        .run((ctx, state, in) -> {
                            ctx.waitUntil(() -> false);
                            return state;
                        }))
                .build();
    }

    @AfterEach
    void stop() {
        fixture.close();
        otel.close();
    }

    @Test
    void attemptAndStepSpansCarryTheRunAndTheRetries() throws Exception {
        RunRecord run = engine.schedule(
                RunnableDefinition.Kind.WORKFLOW,
                "flaky",
                JsonNodeFactory.instance.objectNode().put("failures", 1));
        assertThat(engine.awaitCompletion(run.id(), Duration.ofSeconds(20)).status())
                .isEqualTo(RunStatus.COMPLETED);

        SpanData attempt = span("workflow flaky");
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey("tern.run.id")))
                .isEqualTo(run.id());
        assertThat(attempt.getAttributes().get(AttributeKey.longKey("tern.run.attempt")))
                .isEqualTo(1L);
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey("tern.node.id")))
                .isEqualTo("node-a");
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey("tern.run.outcome")))
                .isEqualTo("completed");
        SpanData second = span("step second");
        assertThat(second.getParentSpanId()).isEqualTo(attempt.getSpanId());
        assertThat(second.getTraceId()).isEqualTo(attempt.getTraceId());
        assertThat(second.getEvents()).extracting(e -> e.getName()).contains("retry");
        assertThat(second.getAttributes().get(AttributeKey.longKey("tern.step.attempt")))
                .isEqualTo(2L);
        assertThat(span("step first").getParentSpanId()).isEqualTo(attempt.getSpanId());
        // a step that succeeded at once, as what it started as, leaves both to their defaults
        assertThat(span("step first").getAttributes().get(AttributeKey.longKey("tern.step.attempt")))
                .isNull();
        assertThat(span("step first").getAttributes().get(AttributeKey.stringKey("tern.step.type")))
                .isEqualTo("function");

        assertThat(meters.get("tern.runs.started")
                        .tag("kind", "workflow")
                        .tag("name", "flaky")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(meters.get("tern.runs.finished")
                        .tag("status", "completed")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(meters.get("tern.step.retries")
                        .tag("name", "second")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(meters.get("tern.step.duration")
                        .tag("name", "second")
                        .tag("outcome", "completed")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("tern.store.commit").timer().count()).isPositive();
        assertThat(meters.get("tern.store.batch.size").summary().count()).isPositive();
    }

    @Test
    void aStepThatFailsForGoodMarksItsSpanAndTheAttemptAsErrors() throws Exception {
        RunRecord run = engine.schedule(
                RunnableDefinition.Kind.WORKFLOW,
                "flaky",
                JsonNodeFactory.instance.objectNode().put("failures", 10));
        assertThat(engine.awaitCompletion(run.id(), Duration.ofSeconds(20)).status())
                .isEqualTo(RunStatus.FAILED);

        SpanData second = span("step second");
        assertThat(second.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(second.getEvents().stream().filter(e -> e.getName().equals("retry")))
                .hasSize(2);
        SpanData attempt = span("workflow flaky");
        assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attempt.getAttributes().get(AttributeKey.stringKey("tern.run.outcome")))
                .isEqualTo("failed");
        assertThat(meters.get("tern.runs.finished")
                        .tag("status", "failed")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(meters.get("tern.step.duration")
                        .tag("name", "second")
                        .tag("outcome", "failed")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void everyAttemptJoinsTheTraceTheRunWasScheduledUnderEvenAfterARestartOnAnotherNode() throws Exception {
        Span client = otel.getTracer("test").spanBuilder("client request").startSpan();
        RunRecord run;
        try (Scope s = client.makeCurrent()) {
            run = engine.schedule(
                    RunnableDefinition.Kind.WORKFLOW,
                    "sleepy",
                    JsonNodeFactory.instance.objectNode().put("failures", 0));
        } finally {
            client.end();
        }
        assertThat(run.links().traceId()).isEqualTo(client.getSpanContext().getTraceId());
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> spans.getFinishedSpanItems().stream()
                        .anyMatch(d -> d.getName().equals("workflow sleepy")));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("tern.runs.waiting")
                                .tag("reason", "sleep")
                                .gauge()
                                .value()
                        == 1.0);
        fixture.crash(); // the run sleeps, suspended: a new node on the same store ends it
        engine = fixture.start(definitions(), config("node-b"));
        assertThat(engine.awaitCompletion(run.id(), Duration.ofSeconds(30)).status())
                .isEqualTo(RunStatus.COMPLETED);

        List<SpanData> attempts = spans.getFinishedSpanItems().stream()
                .filter(d -> d.getName().equals("workflow sleepy"))
                .toList();
        assertThat(attempts).hasSizeGreaterThanOrEqualTo(2);
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.getTraceId()).isEqualTo(client.getSpanContext().getTraceId());
            assertThat(a.getParentSpanId()).isEqualTo(client.getSpanContext().getSpanId());
        });
        assertThat(attempts)
                .extracting(a -> a.getAttributes().get(AttributeKey.stringKey("tern.node.id")))
                .contains("node-a", "node-b");
        assertThat(span("step after").getTraceId())
                .isEqualTo(client.getSpanContext().getTraceId());
    }

    @Test
    void aLiveAgentTurnIsAnInvokeAgentSpanAroundItsSteps() throws Exception {
        RunRecord run = engine.schedule(
                RunnableDefinition.Kind.AGENT,
                "echo",
                JsonNodeFactory.instance.objectNode().put("text", "hi"));
        engine.sendEvent(run.id(), "say", JsonNodeFactory.instance.objectNode().put("text", "hello"));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> spans.getFinishedSpanItems().stream()
                        .anyMatch(d -> d.getName().equals("invoke_agent echo")));
        SpanData turn = span("invoke_agent echo");
        assertThat(turn.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
                .isEqualTo("invoke_agent");
        assertThat(turn.getAttributes().get(AttributeKey.stringKey("gen_ai.conversation.id")))
                .isEqualTo(run.id());
        assertThat(span("step shout").getParentSpanId()).isEqualTo(turn.getSpanId());
    }

    @Test
    void nothingIsMadeWhenObservabilityIsOff() throws Exception {
        fixture.crash();
        engine = fixture.start(definitions(), fixture.config().withObservability(Observability.none()));
        RunRecord run = engine.schedule(
                RunnableDefinition.Kind.WORKFLOW,
                "flaky",
                JsonNodeFactory.instance.objectNode().put("failures", 0));
        assertThat(engine.awaitCompletion(run.id(), Duration.ofSeconds(20)).status())
                .isEqualTo(RunStatus.COMPLETED);
        assertThat(run.links().traceParent()).isNull();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
        assertThat(meters.find("tern.runs.started").counter()).isNull();
    }

    private SpanData span(String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(d -> d.getName().equals(name))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no span named '" + name + "' in "
                        + spans.getFinishedSpanItems().stream()
                                .map(SpanData::getName)
                                .toList()));
    }
}

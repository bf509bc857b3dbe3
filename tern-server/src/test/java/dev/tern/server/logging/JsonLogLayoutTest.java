package dev.tern.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link JsonLogLayout}: one valid JSON object per line, whatever the message, with MDC, span ids and errors. */
class JsonLogLayoutTest {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    final LoggerContext context = new LoggerContext();
    final JsonLogLayout layout = new JsonLogLayout();

    JsonLogLayoutTest() {
        layout.setContext(context);
        layout.start();
    }

    @AfterEach
    void stop() {
        layout.stop();
        context.stop();
    }

    @Test
    void quotesNewlinesAndControlCharactersStayInOneValidLine() throws IOException {
        String message =
                "said \"hi\"\r\nthen {braces} \\ back\ttab \u0000 \u0001 \u001b[31m \u001f \u007f é ✓ 😀 </script>";
        Instant before = Instant.now();
        JsonNode line = parse(layout.doLayout(event(Level.WARN, message, null, Map.of())));

        assertThat(fieldNames(line)).containsExactly("time", "level", "logger", "message", "thread");
        assertThat(line.get("message").asText()).isEqualTo(message);
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("logger").asText()).isEqualTo("dev.tern.engine.Runs");
        assertThat(line.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(line.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(Instant.parse(line.get("time").asText()))
                .isBetween(before.minusMillis(1), Instant.now().plusMillis(1));
    }

    @Test
    void argumentsAreFormattedIntoTheMessage() throws IOException {
        LoggingEvent event = new LoggingEvent(
                JsonLogLayoutTest.class.getName(),
                context.getLogger("dev.tern.engine.Runs"),
                Level.INFO,
                "run {} took {} ms",
                null,
                new Object[] {"\"run_1\"\n", 12});
        event.setMDCPropertyMap(Map.of());
        assertThat(parse(layout.doLayout(event)).get("message").asText()).isEqualTo("run \"run_1\"\n took 12 ms");
    }

    @Test
    void mdcEntriesAreCopiedWithRunIdAndTheMdcTraceIds() throws IOException {
        Map<String, String> mdc = new LinkedHashMap<>();
        mdc.put("runId", "run_01J");
        mdc.put("tenant", "acme \"corp\"");
        mdc.put("message", "an MDC key clashing with a field");
        mdc.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        mdc.put("span_id", "00f067aa0ba902b7");
        JsonNode line = parse(layout.doLayout(event(Level.INFO, "step done", null, mdc)));

        assertThat(line.get("runId").asText()).isEqualTo("run_01J");
        assertThat(line.get("tenant").asText()).isEqualTo("acme \"corp\"");
        assertThat(line.get("message").asText()).isEqualTo("step done");
        assertThat(line.get("mdc.message").asText()).isEqualTo("an MDC key clashing with a field");
        assertThat(line.get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(line.get("spanId").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(line.has("trace_id")).isFalse();
        assertThat(line.has("span_id")).isFalse();
        assertThat(line.has("error")).isFalse();
    }

    @Test
    void theCurrentOpenTelemetrySpanGivesTraceAndSpanIds() throws IOException {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build()) {
            Span span = tracing.get("test").spanBuilder("run hello").startSpan();
            String inSpan;
            try (Scope ignored = span.makeCurrent()) {
                // a span current on the thread wins over stale MDC ids
                inSpan = layout.doLayout(event(
                        Level.INFO,
                        "in a span",
                        null,
                        Map.of("runId", "run_1", "trace_id", "0af7651916cd43dd8448eb211c80319c")));
            } finally {
                span.end();
            }
            String outside = layout.doLayout(event(Level.INFO, "no span", null, Map.of()));

            SpanData exported = exporter.getFinishedSpanItems().getFirst();
            JsonNode line = parse(inSpan);
            assertThat(line.get("traceId").asText()).isEqualTo(exported.getTraceId());
            assertThat(line.get("spanId").asText()).isEqualTo(exported.getSpanId());
            assertThat(line.get("runId").asText()).isEqualTo("run_1");
            assertThat(parse(outside).has("traceId")).isFalse();
            assertThat(parse(outside).has("spanId")).isFalse();
        }
    }

    @Test
    void aThrowableIsAnErrorObjectWithItsStackAsOneString() throws IOException {
        Exception error = new IllegalStateException(
                "boom \"quoted\"\nsecond line", new IOException("disk gone", new RuntimeException()));
        JsonNode line = parse(layout.doLayout(event(Level.ERROR, "unexpected error", error, Map.of())));

        assertThat(line.get("message").asText()).isEqualTo("unexpected error");
        JsonNode e = line.get("error");
        assertThat(fieldNames(e)).containsExactly("type", "message", "stack");
        assertThat(e.get("type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(e.get("message").asText()).isEqualTo("boom \"quoted\"\nsecond line");
        assertThat(e.get("stack").asText())
                .startsWith("java.lang.IllegalStateException: boom \"quoted\"\nsecond line")
                .contains("\tat " + JsonLogLayoutTest.class.getName() + ".aThrowableIsAnErrorObject")
                .contains("Caused by: java.io.IOException: disk gone")
                .contains("Caused by: java.lang.RuntimeException");

        JsonNode noMessage = parse(layout.doLayout(event(Level.ERROR, "failed", new NullPointerException(), Map.of())));
        assertThat(noMessage.at("/error/type").asText()).isEqualTo("java.lang.NullPointerException");
        assertThat(noMessage.at("/error/message").isNull()).isTrue();
    }

    @Test
    void layingOutIsSafeFromManyThreads() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int n = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 500; i++)
                    lines.add(
                            layout.doLayout(event(Level.INFO, "line " + n + "/" + i, null, Map.of("runId", "r" + n))));
            }));
        }
        for (Thread t : threads) t.join(Duration.ofSeconds(30));
        assertThat(lines).hasSize(2000);
        for (String l : lines) {
            JsonNode line = parse(l);
            assertThat(line.get("message").asText())
                    .startsWith("line " + line.get("runId").asText().substring(1));
        }
    }

    private LoggingEvent event(Level level, String message, Throwable error, Map<String, String> mdc) {
        LoggingEvent event = new LoggingEvent(
                JsonLogLayoutTest.class.getName(),
                context.getLogger("dev.tern.engine.Runs"),
                level,
                message,
                error,
                null);
        event.setMDCPropertyMap(mdc);
        return event;
    }

    /** The line as JSON, after checking it is exactly one line ending in a newline. */
    static JsonNode parse(String line) throws IOException {
        assertThat(line).endsWith("\n");
        assertThat(line.indexOf('\n')).as("one line: %s", line).isEqualTo(line.length() - 1);
        assertThat(line.indexOf('\r')).as("no carriage return: %s", line).isEqualTo(-1);
        JsonNode node = JSON.readTree(line);
        assertThat(node.isObject()).as(line).isTrue();
        return node;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

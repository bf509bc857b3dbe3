package dev.tern.engine.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored {@code traceparent} is written and read as OpenTelemetry's W3C propagator would. */
class TraceParentTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN = "00f067aa0ba902b7";

    @Test
    void formatsAsThePropagatorInjects() {
        for (TraceFlags flags : List.of(TraceFlags.getSampled(), TraceFlags.getDefault())) {
            SpanContext span = SpanContext.create(TRACE, SPAN, flags, TraceState.getDefault());
            Map<String, String> carrier = new HashMap<>();
            W3CTraceContextPropagator.getInstance().inject(Context.root().with(Span.wrap(span)), carrier, Map::put);
            assertThat(RunTracing.format(span)).isEqualTo(carrier.get("traceparent"));
        }
        assertThat(RunTracing.format(SpanContext.getInvalid())).isNull();
    }

    @Test
    void parsesWhatThePropagatorExtractsAndRefusesTheRest() {
        for (String flags : List.of("01", "00")) {
            String header = "00-" + TRACE + "-" + SPAN + "-" + flags;
            SpanContext expected = Span.fromContext(W3CTraceContextPropagator.getInstance()
                            .extract(Context.root(), Map.of("traceparent", header), GETTER))
                    .getSpanContext();
            SpanContext parsed = RunTracing.parse(header);
            assertThat(parsed).isEqualTo(expected);
            assertThat(parsed.isRemote()).isTrue();
            assertThat(RunTracing.format(parsed)).isEqualTo(header);
        }
        for (String bad : List.of(
                "",
                "garbage",
                "00-" + TRACE + "-" + SPAN + "-0", // short
                "01-" + TRACE + "-" + SPAN + "-01", // unknown version
                "00-" + "0".repeat(32) + "-" + SPAN + "-01", // invalid trace id
                "00-" + TRACE + "-" + "0".repeat(16) + "-01", // invalid span id
                "00-" + TRACE.toUpperCase() + "-" + SPAN + "-01",
                "00-" + TRACE + "_" + SPAN + "-01",
                "00-" + TRACE + "-" + SPAN + "-zz")) {
            assertThat(RunTracing.parse(bad)).as(bad).isNull();
        }
        assertThat(RunTracing.parse(null)).isNull();
        RunTracing tracing = new RunTracing(io.opentelemetry.api.OpenTelemetry.noop(), "node", false);
        assertThat(Span.fromContext(tracing.parentOf("garbage"))
                        .getSpanContext()
                        .isValid())
                .isFalse();
    }

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
}

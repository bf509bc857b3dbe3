package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.server.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hand-written OTLP decoder of {@link OtlpReceiver} against OpenTelemetry's own OTLP/HTTP exporter: the spans it
 * exports (ids, parents, names, kinds, attributes of each type, events, status, the resource) come out as they went in,
 * plain and gzipped, and fields it does not know are skipped by wire type.
 */
class OtlpReceiverTest {
    @Test
    void decodesWhatTheOtlpHttpExporterSends() throws Exception {
        for (String compression : List.of("none", "gzip")) {
            try (OtlpReceiver receiver = new OtlpReceiver()) {
                exportAndCheck(receiver, compression);
            }
        }
    }

    private void exportAndCheck(OtlpReceiver receiver, String compression) throws Exception {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(receiver.endpoint() + "/v1/traces")
                .setCompression(compression)
                .build();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "decoder-test"))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        Tracer tracer = provider.get("otlp-receiver-test");
        Span root = tracer.spanBuilder("POST /v1/runs")
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", "POST")
                .setAttribute("http.response.status_code", 201L)
                .setAttribute("negative", -42L)
                .setAttribute("big", Long.MAX_VALUE)
                .setAttribute("flag", true)
                .setAttribute("ratio", 0.25)
                .setAttribute(AttributeKey.stringArrayKey("list"), List.of("a", "b"))
                .startSpan();
        Span child = tracer.spanBuilder("step grüßen ✓")
                .setParent(Context.root().with(root))
                .setAttribute("tern.step.name", "grüßen")
                .setAttribute("tern.step.seq", 0L)
                .startSpan();
        child.addEvent("retry", Attributes.of(AttributeKey.longKey("tern.step.attempt"), 1L));
        child.recordException(new IllegalStateException("not yet"));
        child.setStatus(StatusCode.ERROR, "failed");
        child.end();
        Span client = tracer.spanBuilder("chat gpt")
                .setParent(Context.root().with(child))
                .setSpanKind(SpanKind.CLIENT)
                .startSpan();
        client.end();
        root.end();
        assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
                .as("export with compression %s succeeded", compression)
                .isTrue();

        assertThat(receiver.rejected()).isEmpty();
        assertThat(receiver.undecodable()).isEmpty();
        List<ReceivedSpan> spans = receiver.spans();
        assertThat(spans)
                .extracting(ReceivedSpan::name)
                .containsExactlyInAnyOrder("POST /v1/runs", "step grüßen ✓", "chat gpt");
        assertThat(spans).extracting(ReceivedSpan::serviceName).containsOnly("decoder-test");
        String traceId = root.getSpanContext().getTraceId();
        assertThat(spans).extracting(ReceivedSpan::traceId).containsOnly(traceId);

        ReceivedSpan server = named(spans, "POST /v1/runs");
        assertThat(server.spanId()).isEqualTo(root.getSpanContext().getSpanId());
        assertThat(server.parentSpanId()).isEmpty();
        assertThat(server.kind()).isEqualTo(OtlpReceiver.KIND_SERVER);
        assertThat(server.string("http.request.method")).isEqualTo("POST");
        assertThat(server.integer("http.response.status_code")).isEqualTo(201L);
        assertThat(server.integer("negative")).isEqualTo(-42L);
        assertThat(server.integer("big")).isEqualTo(Long.MAX_VALUE);
        assertThat(server.attributes()).containsEntry("flag", true).containsEntry("ratio", 0.25);
        assertThat(server.attributes()).doesNotContainKey("list"); // an array_value, skipped
        assertThat(server.statusCode()).isZero();

        ReceivedSpan step = named(spans, "step grüßen ✓");
        assertThat(step.spanId()).isEqualTo(child.getSpanContext().getSpanId());
        assertThat(step.parentSpanId()).isEqualTo(server.spanId());
        assertThat(step.kind()).isEqualTo(OtlpReceiver.KIND_INTERNAL);
        assertThat(step.string("tern.step.name")).isEqualTo("grüßen");
        assertThat(step.integer("tern.step.seq")).isZero();
        assertThat(step.eventNames()).containsExactly("retry", "exception");
        assertThat(step.statusCode()).isEqualTo(2);

        ReceivedSpan chat = named(spans, "chat gpt");
        assertThat(chat.parentSpanId()).isEqualTo(step.spanId());
        assertThat(chat.kind()).isEqualTo(OtlpReceiver.KIND_CLIENT);
        assertThat(chat.attributes()).isEmpty();

        CompletableResultCode shutdown = provider.shutdown();
        shutdown.join(10, TimeUnit.SECONDS);
    }

    @Test
    void answersAnExportWithAnEmptyResponseAndRefusesWhatIsNotOne() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> ok = http.send(
                    HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
                            .header("Content-Type", "application/x-protobuf")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0]))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEmpty();
            assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");

            HttpResponse<byte[]> json = http.send(
                    HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(json.statusCode()).isEqualTo(415);
            assertThat(receiver.rejected()).hasSize(1);
            assertThat(receiver.spans()).isEmpty();
        }
    }

    @Test
    void skipsFieldsItDoesNotKnowByWireType() {
        byte[] traceId = HexFormat.of().parseHex("0af7651916cd43dd8448eb211c80319c");
        byte[] spanId = HexFormat.of().parseHex("b7ad6b7169203331");
        byte[] anyValue = concat(
                len(7, new byte[] {1, 2}), // bytes_value: skipped
                varint(3, -1L)); // int_value -1: a ten-byte varint
        byte[] span = concat(
                varint(99, 12345), // an unknown varint field
                len(1, traceId),
                fixed64(7, 1_700_000_000_000_000_000L), // start_time_unix_nano
                fixed32(16, 0x301), // flags, a fixed32
                len(2, spanId),
                len(3, "k=v".getBytes()), // trace_state
                len(5, "step x".getBytes()),
                varint(6, 1),
                len(9, concat(len(1, "n".getBytes()), len(2, anyValue))),
                len(9, concat(len(1, "d".getBytes()), len(2, fixed64(4, Double.doubleToLongBits(1.5))))),
                fixed64(8, 1_700_000_000_000_000_001L));
        byte[] scopeSpans = concat(len(1, len(1, "scope".getBytes())), len(2, span), len(3, "url".getBytes()));
        byte[] resource = len(1, concat(len(1, "service.name".getBytes()), len(2, len(1, "svc".getBytes()))));
        // scope_spans before the resource: fields come in any order
        byte[] request = len(1, concat(len(2, scopeSpans), len(1, resource), len(3, "schema".getBytes())));

        List<ReceivedSpan> spans = OtlpReceiver.decode(request);

        assertThat(spans).hasSize(1);
        ReceivedSpan s = spans.getFirst();
        assertThat(s.serviceName()).isEqualTo("svc");
        assertThat(s.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(s.spanId()).isEqualTo("b7ad6b7169203331");
        assertThat(s.parentSpanId()).isEmpty();
        assertThat(s.name()).isEqualTo("step x");
        assertThat(s.kind()).isEqualTo(OtlpReceiver.KIND_INTERNAL);
        assertThat(s.attributes()).isEqualTo(Map.of("n", -1L, "d", 1.5));

        assertThatThrownBy(() -> OtlpReceiver.decode(java.util.Arrays.copyOf(request, request.length - 3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OtlpReceiver.decode(new byte[] {(byte) ((1 << 3) | 3)}))
                .hasMessageContaining("wire type 3");
    }

    private static ReceivedSpan named(List<ReceivedSpan> spans, String name) {
        return spans.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static byte[] varint(int field, long value) {
        return concat(rawVarint((long) field << 3), rawVarint(value));
    }

    private static byte[] len(int field, byte[] contents) {
        return concat(rawVarint(((long) field << 3) | 2), rawVarint(contents.length), contents);
    }

    private static byte[] fixed64(int field, long value) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) out[i] = (byte) (value >>> (8 * i));
        return concat(rawVarint(((long) field << 3) | 1), out);
    }

    private static byte[] fixed32(int field, int value) {
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) out[i] = (byte) (value >>> (8 * i));
        return concat(rawVarint(((long) field << 3) | 5), out);
    }

    private static byte[] rawVarint(long value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}

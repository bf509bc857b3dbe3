package dev.tern.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver on a loopback port, as a collector would be: it accepts {@code POST /v1/traces} with
 * {@code Content-Type: application/x-protobuf}, answers 200 with an empty {@code ExportTraceServiceResponse} (an empty
 * body is that message with no fields) and decodes each request's protobuf body by hand into {@link ReceivedSpan}s.
 * Anything else is answered with an error status and recorded in {@link #rejected()}.
 */
final class OtlpReceiver implements AutoCloseable {
    /** {@code Span.SpanKind} numbers of opentelemetry-proto's trace.proto. */
    static final int KIND_INTERNAL = 1;

    static final int KIND_SERVER = 2;
    static final int KIND_CLIENT = 3;

    /**
     * One span as exported: ids in lower-case hex ({@code parentSpanId} is empty for a root span), the kind's protobuf
     * number, the string, integer, boolean and double attributes (arrays and maps are left out), the status code (0
     * unset, 1 ok, 2 error) and the {@code service.name} of the resource it was exported under.
     */
    record ReceivedSpan(
            String serviceName,
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            int kind,
            Map<String, Object> attributes,
            int statusCode,
            List<String> eventNames) {
        String string(String key) {
            return attributes.get(key) instanceof String s ? s : null;
        }

        Long integer(String key) {
            return attributes.get(key) instanceof Long l ? l : null;
        }
    }

    /** A request that was not a protobuf trace export, and the status it got. */
    record Rejected(String method, String path, String contentType, int status) {}

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<Rejected> rejected = new CopyOnWriteArrayList<>();
    private final List<String> undecodable = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** What {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set to; exporters append {@code /v1/traces}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every span received so far, in arrival order. */
    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** Export requests decoded and accepted so far. */
    int requests() {
        return requests.get();
    }

    List<Rejected> rejected() {
        return List.copyOf(rejected);
    }

    /** Bodies that failed to decode, with the reason: a receiver bug or an exporter writing what it should not. */
    List<String> undecodable() {
        return List.copyOf(undecodable);
    }

    /** The first span received that {@code matches}, waiting for it up to {@code timeout}. */
    ReceivedSpan await(String description, Duration timeout, Predicate<ReceivedSpan> matches)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (ReceivedSpan s : spans) if (matches.test(s)) return s;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no span received that is " + description + " within " + timeout
                        + "; received:\n" + describe(spans())
                        + (undecodable.isEmpty() ? "" : "\nundecodable: " + undecodable));
            }
            Thread.sleep(20);
        }
    }

    /** One line per span, for assertion messages. */
    static String describe(List<ReceivedSpan> spans) {
        StringBuilder out = new StringBuilder();
        for (ReceivedSpan s : spans) {
            out.append("  ")
                    .append(s.name())
                    .append(" kind=")
                    .append(s.kind())
                    .append(" trace=")
                    .append(s.traceId())
                    .append(" span=")
                    .append(s.spanId())
                    .append(" parent=")
                    .append(s.parentSpanId())
                    .append(' ')
                    .append(s.attributes())
                    .append('\n');
        }
        return out.toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            int status = 200;
            if (!path.equals("/v1/traces")) status = 404;
            else if (!method.equals("POST")) status = 405;
            else if (contentType == null
                    || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-protobuf"))
                status = 415;
            if (status != 200) {
                rejected.add(new Rejected(method, path, contentType, status));
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            try {
                spans.addAll(decode(body));
                requests.incrementAndGet();
            } catch (RuntimeException e) {
                undecodable.add(e.toString());
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            // an ExportTraceServiceResponse with no partial_success: no fields, no bytes
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // --- protobuf decoding -------------------------------------------------------------------------------------------

    /** The spans of an {@code ExportTraceServiceRequest}. */
    static List<ReceivedSpan> decode(byte[] request) {
        List<ReceivedSpan> out = new ArrayList<>();
        Wire in = new Wire(request, 0, request.length);
        while (in.more()) {
            int tag = in.tag();
            if (tag == field(1, Wire.LEN)) resourceSpans(in.message(), out); // resource_spans
            else in.skip(tag);
        }
        return out;
    }

    private static void resourceSpans(Wire in, List<ReceivedSpan> out) {
        String serviceName = null;
        List<Wire> scopeSpans = new ArrayList<>();
        while (in.more()) {
            int tag = in.tag();
            if (tag == field(1, Wire.LEN)) { // resource
                Wire resource = in.message();
                while (resource.more()) {
                    int t = resource.tag();
                    if (t == field(1, Wire.LEN)) { // attributes
                        Map.Entry<String, Object> kv = keyValue(resource.message());
                        if (kv.getKey().equals("service.name") && kv.getValue() instanceof String s) serviceName = s;
                    } else {
                        resource.skip(t);
                    }
                }
            } else if (tag == field(2, Wire.LEN)) { // scope_spans
                scopeSpans.add(in.message());
            } else {
                in.skip(tag);
            }
        }
        // the resource may come after its spans on the wire: fields of a message are in any order
        for (Wire scope : scopeSpans) {
            while (scope.more()) {
                int tag = scope.tag();
                if (tag == field(2, Wire.LEN)) out.add(span(scope.message(), serviceName)); // spans
                else scope.skip(tag);
            }
        }
    }

    private static ReceivedSpan span(Wire in, String serviceName) {
        String traceId = "";
        String spanId = "";
        String parentSpanId = "";
        String name = "";
        int kind = 0;
        int statusCode = 0;
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<String> events = new ArrayList<>();
        while (in.more()) {
            int tag = in.tag();
            switch (tag) {
                case (1 << 3) | Wire.LEN -> traceId = HexFormat.of().formatHex(in.bytes());
                case (2 << 3) | Wire.LEN -> spanId = HexFormat.of().formatHex(in.bytes());
                case (4 << 3) | Wire.LEN -> parentSpanId = HexFormat.of().formatHex(in.bytes());
                case (5 << 3) | Wire.LEN -> name = in.string();
                case (6 << 3) | Wire.VARINT -> kind = (int) in.varint();
                case (9 << 3) | Wire.LEN -> {
                    Map.Entry<String, Object> kv = keyValue(in.message());
                    if (kv.getValue() != null) attributes.put(kv.getKey(), kv.getValue());
                }
                case (11 << 3) | Wire.LEN -> events.add(eventName(in.message()));
                case (15 << 3) | Wire.LEN -> statusCode = statusCode(in.message());
                default -> in.skip(tag); // trace_state, times, dropped counts, links, flags
            }
        }
        return new ReceivedSpan(
                serviceName,
                traceId,
                spanId,
                parentSpanId,
                name,
                kind,
                java.util.Collections.unmodifiableMap(attributes),
                statusCode,
                List.copyOf(events));
    }

    private static String eventName(Wire in) {
        String name = "";
        while (in.more()) {
            int tag = in.tag();
            if (tag == field(2, Wire.LEN)) name = in.string(); // Span.Event.name
            else in.skip(tag);
        }
        return name;
    }

    private static int statusCode(Wire in) {
        int code = 0;
        while (in.more()) {
            int tag = in.tag();
            if (tag == field(3, Wire.VARINT)) code = (int) in.varint(); // Status.code
            else in.skip(tag);
        }
        return code;
    }

    /** A {@code KeyValue}: its key and its value if it is a scalar (null for arrays, maps and bytes). */
    private static Map.Entry<String, Object> keyValue(Wire in) {
        String key = "";
        Object value = null;
        while (in.more()) {
            int tag = in.tag();
            if (tag == field(1, Wire.LEN)) key = in.string();
            else if (tag == field(2, Wire.LEN)) value = anyValue(in.message());
            else in.skip(tag);
        }
        return new java.util.AbstractMap.SimpleImmutableEntry<>(key, value);
    }

    private static Object anyValue(Wire in) {
        Object value = null;
        while (in.more()) {
            int tag = in.tag();
            switch (tag) {
                case (1 << 3) | Wire.LEN -> value = in.string();
                case (2 << 3) | Wire.VARINT -> value = in.varint() != 0;
                case (3 << 3) | Wire.VARINT -> value = in.varint(); // int64: negative numbers are ten-byte varints
                case (4 << 3) | Wire.I64 -> value = Double.longBitsToDouble(in.fixed64());
                default -> in.skip(tag); // array_value, kvlist_value, bytes_value
            }
        }
        return value;
    }

    private static int field(int number, int wireType) {
        return (number << 3) | wireType;
    }

    /** A protobuf message's bytes from {@code pos} to {@code end}, read field by field. */
    static final class Wire {
        static final int VARINT = 0;
        static final int I64 = 1;
        static final int LEN = 2;
        static final int I32 = 5;

        private final byte[] buf;
        private int pos;
        private final int end;

        Wire(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        /** The next field's key: its number shifted left by three, or'ed with its wire type. */
        int tag() {
            long tag = varint();
            if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) throw new IllegalArgumentException("bad field key " + tag);
            return (int) tag;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) throw new IllegalArgumentException("truncated varint");
                byte b = buf[pos++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw new IllegalArgumentException("varint longer than ten bytes");
        }

        /** Eight bytes, little-endian. */
        long fixed64() {
            require(8);
            long value = 0;
            for (int i = 7; i >= 0; i--) value = (value << 8) | (buf[pos + i] & 0xffL);
            pos += 8;
            return value;
        }

        /** A length-delimited field's contents as a message of its own (this reader moves past it). */
        Wire message() {
            int length = length();
            Wire inner = new Wire(buf, pos, pos + length);
            pos += length;
            return inner;
        }

        byte[] bytes() {
            int length = length();
            byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + length);
            pos += length;
            return out;
        }

        String string() {
            int length = length();
            String out = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return out;
        }

        /** Moves past the value of a field this decoder does not read, by its wire type. */
        void skip(int tag) {
            switch (tag & 7) {
                case VARINT -> varint();
                case I64 -> {
                    require(8);
                    pos += 8;
                }
                case LEN -> {
                    int length = length(); // not "pos += length()": that adds to pos as it was before the length
                    pos += length;
                }
                case I32 -> {
                    require(4);
                    pos += 4;
                }
                default ->
                    throw new IllegalArgumentException(
                            "unsupported wire type " + (tag & 7) + " of field " + (tag >>> 3));
            }
        }

        private int length() {
            long length = varint();
            if (length < 0 || length > end - pos) {
                throw new IllegalArgumentException(
                        "length " + length + " overruns the message (" + (end - pos) + " bytes left)");
            }
            return (int) length;
        }

        private void require(int bytes) {
            if (end - pos < bytes) throw new IllegalArgumentException("truncated fixed-width field");
        }
    }
}

package dev.tern.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/**
 * One JSON object per event, on one line: {@code time} (ISO-8601, UTC, milliseconds), {@code level}, {@code logger},
 * {@code message}, {@code thread}; {@code runId} when the MDC has it; {@code traceId} and {@code spanId} of the
 * OpenTelemetry span current on the logging thread (else of the MDC keys {@code trace_id} and {@code span_id}); every
 * other MDC entry under its own key ({@code mdc.<key>} where the key is one of the names above); and {@code error}
 * ({@code type}, {@code message}, {@code stack}) for a throwable. Jackson writes the strings, so quotes, newlines and
 * control characters in a message come out escaped and the line stays valid JSON.
 *
 * <p>The span is read while the event is laid out: that is the logging thread with a synchronous appender (the console
 * appender {@link LogFormat#JSON} installs), not with an asynchronous one. Thread-safe: Logback lays events out outside
 * the appender's lock.
 */
public class JsonLogLayout extends LayoutBase<ILoggingEvent> {
    static final String RUN_ID = "runId";
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** MDC keys written as the trace and span ids (when no span is current), not copied again. */
    private static final Set<String> MDC_TRACE_KEYS = Set.of("trace_id", "span_id", "traceId", "spanId");

    private static final Set<String> FIELDS =
            Set.of("time", "level", "logger", "message", "thread", RUN_ID, "traceId", "spanId", "error");

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("time", TIME.format(event.getInstant()));
            json.writeStringField("level", String.valueOf(event.getLevel()));
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("message", event.getFormattedMessage());
            json.writeStringField("thread", event.getThreadName());
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc == null) mdc = Map.of();
            if (mdc.get(RUN_ID) != null) json.writeStringField(RUN_ID, mdc.get(RUN_ID));
            SpanContext span = Span.current().getSpanContext();
            if (span.isValid()) {
                json.writeStringField("traceId", span.getTraceId());
                json.writeStringField("spanId", span.getSpanId());
            } else {
                String traceId = first(mdc, "trace_id", "traceId");
                String spanId = first(mdc, "span_id", "spanId");
                if (traceId != null) json.writeStringField("traceId", traceId);
                if (spanId != null) json.writeStringField("spanId", spanId);
            }
            for (Map.Entry<String, String> e : mdc.entrySet()) {
                String key = e.getKey();
                if (key == null || key.equals(RUN_ID) || MDC_TRACE_KEYS.contains(key)) continue;
                json.writeStringField(FIELDS.contains(key) ? "mdc." + key : key, e.getValue());
            }
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                json.writeObjectFieldStart("error");
                json.writeStringField("type", error.getClassName());
                json.writeStringField("message", error.getMessage());
                json.writeStringField("stack", ThrowableProxyUtil.asString(error));
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.append('\n').toString();
    }

    @Override
    public String getContentType() {
        return "application/x-ndjson";
    }

    private static String first(Map<String, String> mdc, String key, String otherKey) {
        String value = mdc.get(key);
        return value != null ? value : mdc.get(otherKey);
    }
}

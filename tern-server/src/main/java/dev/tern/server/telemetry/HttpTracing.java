package dev.tern.server.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;

/**
 * A server span per API request, a child of the caller's W3C {@code traceparent} if it sent one, current while the
 * request is handled: a run scheduled by the request stores that context, so the run's spans join the caller's trace.
 * The span is named after the route template ({@code POST /v1/runs}) once the router has matched it
 * ({@link #routeMatched}), never after the raw path, which holds ids.
 */
public final class HttpTracing implements Filter {
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest carrier) {
            return Collections.list(carrier.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest carrier, String key) {
            return carrier == null ? null : carrier.getHeader(key);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    public HttpTracing(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("dev.tern.server");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        Context parent =
                openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), request, HEADERS);
        String method = request.getMethod();
        Span span = tracer.spanBuilder(method)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .setAttribute(PATH, request.getRequestURI())
                .startSpan();
        try (Scope scope = span.makeCurrent()) {
            chain.doFilter(req, res);
        } finally {
            int status = response.getStatus();
            span.setAttribute(STATUS, (long) status);
            if (status >= 500) span.setStatus(StatusCode.ERROR);
            span.end();
        }
    }

    /** Names the current request's span after the route the router matched ({@code GET /v1/runs/{runId}}). */
    public static void routeMatched(String method, String routeTemplate) {
        Span span = Span.current();
        if (!span.isRecording()) return;
        span.updateName(method + " " + routeTemplate);
        span.setAttribute(ROUTE, routeTemplate);
    }
}

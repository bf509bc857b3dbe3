package dev.tern.server.telemetry;

import dev.tern.engine.Observability;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's metrics and traces: a Prometheus registry (the engine's meters plus JVM and process ones, scraped at
 * {@code /metrics}) and OpenTelemetry configured by the standard {@code OTEL_*} variables. Traces are exported only
 * when an exporter is configured ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} or
 * {@code OTEL_TRACES_EXPORTER}), by default over OTLP/HTTP with protobuf; otherwise OpenTelemetry is the no-op and
 * costs nothing.
 */
public final class ServerTelemetry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerTelemetry.class);

    static final String DEFAULT_SERVICE_NAME = "tern";
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    /**
     * Spans per OTLP export request unless {@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE} says otherwise (the SDK's default is
     * 512). A busy engine ends thousands of spans a second; each export request costs the sender a fixed share of CPU
     * (building the request, the HTTP exchange, a collector's reply) whatever its size, so four times fewer, larger
     * requests take that share off the engine's cores. 2,048 spans of a few hundred bytes stay well under collectors'
     * request limits.
     */
    public static final int SPAN_EXPORT_BATCH = 2_048;

    /**
     * Spans waiting for export before new ones are dropped unless {@code OTEL_BSP_MAX_QUEUE_SIZE} says otherwise (the
     * SDK's default, 2,048, would equal one batch and drop spans while a batch is in flight).
     */
    public static final int SPAN_QUEUE = 16_384;

    /** The standard switch of GenAI instrumentations for putting message contents on spans. */
    static final String CAPTURE_CONTENT = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    private final PrometheusMeterRegistry prometheus;
    private final OpenTelemetry openTelemetry;
    private final OpenTelemetrySdk sdk;
    private final boolean captureContent;
    private final JvmGcMetrics gc;

    private ServerTelemetry(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk, boolean captureContent) {
        this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.openTelemetry = openTelemetry;
        this.sdk = sdk;
        this.captureContent = captureContent;
        new ClassLoaderMetrics().bindTo(prometheus);
        new JvmMemoryMetrics().bindTo(prometheus);
        this.gc = new JvmGcMetrics();
        gc.bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        new UptimeMetrics().bindTo(prometheus);
        new FileDescriptorMetrics().bindTo(prometheus);
    }

    /** Metrics, and traces as the {@code OTEL_*} variables in {@code env} (and system properties) configure them. */
    public static ServerTelemetry fromEnvironment(Map<String, String> env) {
        boolean content =
                "true".equalsIgnoreCase(env.getOrDefault(CAPTURE_CONTENT, "").strip());
        // without an exporter nothing is recorded, but a caller's traceparent still passes on to the runs it schedules
        if (!tracingConfigured(env)) return new ServerTelemetry(propagatingOnly(), null, content);
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                // defaults the OTEL_* variables override: Tern exports traces over OTLP/HTTP with protobuf (the
                // specification's default; the Java SDK's own is gRPC, whose sender is not on the classpath), its
                // metrics are scraped, logs stay local; spans go out in larger batches than the SDK's (see
                // SPAN_EXPORT_BATCH)
                .addPropertiesSupplier(() -> Map.of(
                        "otel.exporter.otlp.protocol", "http/protobuf",
                        "otel.bsp.max.export.batch.size", String.valueOf(SPAN_EXPORT_BATCH),
                        "otel.bsp.max.queue.size", String.valueOf(SPAN_QUEUE),
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
                // the service is "tern" unless OTEL_SERVICE_NAME or service.name in OTEL_RESOURCE_ATTRIBUTES names it
                // (a default otel.service.name would override the latter)
                .addResourceCustomizer((resource, config) -> withDefaultServiceName(resource))
                .build()
                .getOpenTelemetrySdk();
        log.info("exporting traces ({})", env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "as OTEL_* configures"));
        return new ServerTelemetry(sdk, sdk, content);
    }

    /** {@code resource}, named {@value #DEFAULT_SERVICE_NAME} if nothing configured named its service. */
    static Resource withDefaultServiceName(Resource resource) {
        String name = resource.getAttribute(SERVICE_NAME);
        if (name != null && !name.startsWith("unknown_service")) return resource;
        return resource.merge(Resource.create(Attributes.of(SERVICE_NAME, DEFAULT_SERVICE_NAME)));
    }

    /** Metrics, and traces to {@code openTelemetry} (tests, embedding). */
    public static ServerTelemetry of(OpenTelemetry openTelemetry) {
        return new ServerTelemetry(openTelemetry, null, false);
    }

    /** Metrics only. */
    public static ServerTelemetry metricsOnly() {
        return new ServerTelemetry(propagatingOnly(), null, false);
    }

    private static OpenTelemetry propagatingOnly() {
        return OpenTelemetry.propagating(ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
    }

    static boolean tracingConfigured(Map<String, String> env) {
        if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").strip())) return false;
        String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "").strip().toLowerCase(Locale.ROOT);
        if (!exporter.isEmpty()) return !exporter.equals("none");
        return !env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
                || !env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
    }

    /** What the engine reports to: this registry and this OpenTelemetry. */
    public Observability observability() {
        return new Observability(prometheus, openTelemetry, captureContent);
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** The metrics in Prometheus' text format. */
    public String scrape() {
        return prometheus.scrape();
    }

    /** Exports the spans still buffered and stops. */
    @Override
    public void close() {
        gc.close();
        if (sdk != null) sdk.close();
        prometheus.close();
    }
}

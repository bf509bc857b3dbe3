package dev.tern.bench;

import dev.tern.engine.Observability;
import dev.tern.server.telemetry.ServerTelemetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Real metrics and traces for an observed Tern variant, set up as a deployment would: the engine's meters in a
 * {@link PrometheusMeterRegistry} scraped once a second by a background thread (the text Prometheus would fetch), and
 * every span sampled (the worst case; see {@link #SAMPLER}) into the OpenTelemetry SDK, batched by a
 * {@link BatchSpanProcessor} with the batch and queue sizes {@code tern server} sets and exported as OTLP/HTTP protobuf
 * (JDK HTTP client sender) to an {@link OtlpSink}, a collector's stand-in in its own JVM. Counts what it produced, for
 * a note under the table.
 */
final class ObservedTelemetry implements AutoCloseable {
    static final long SCRAPE_INTERVAL_MILLIS = 1_000;

    /**
     * Every span by default (the worst case); a deployment's ratio with the standard variables, e.g.
     * {@code OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1}.
     */
    static final Sampler SAMPLER =
            sampler(System.getenv("OTEL_TRACES_SAMPLER"), System.getenv("OTEL_TRACES_SAMPLER_ARG"));

    static Sampler sampler(String name, String arg) {
        if (name == null || name.isBlank() || name.equals("always_on")) return Sampler.alwaysOn();
        double ratio;
        try {
            ratio = arg == null ? 1.0 : Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, was '" + arg + "'");
        }
        return switch (name) {
            case "traceidratio" -> Sampler.traceIdRatioBased(ratio);
            case "parentbased_traceidratio" -> Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
            case "parentbased_always_on" -> Sampler.parentBased(Sampler.alwaysOn());
            default ->
                throw new IllegalArgumentException("OTEL_TRACES_SAMPLER: the bench knows always_on, traceidratio, "
                        + "parentbased_traceidratio and parentbased_always_on, not '" + name + "'");
        };
    }

    private final OtlpSink sink;
    private final PrometheusMeterRegistry registry;
    private final OpenTelemetrySdk sdk;
    private final ScheduledExecutorService scraper;
    private final LongAdder spansEnded = new LongAdder();
    private final LongAdder spansExported = new LongAdder();
    private final LongAdder scrapes = new LongAdder();
    private final LongAdder scrapeNanos = new LongAdder();
    private volatile int lastScrapeChars;
    private boolean closed;

    private ObservedTelemetry(OtlpSink sink) {
        this.sink = sink;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SpanExporter otlp = OtlpHttpSpanExporter.builder()
                .setEndpoint(sink.tracesEndpoint())
                .build();
        SdkTracerProvider tracing = SdkTracerProvider.builder()
                .setSampler(SAMPLER)
                .setResource(Resource.getDefault()
                        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "tern-bench"))))
                .addSpanProcessor(new EndCounter(spansEnded))
                .addSpanProcessor(BatchSpanProcessor.builder(new ExportCounter(otlp, spansExported))
                        .setMaxExportBatchSize(ServerTelemetry.SPAN_EXPORT_BATCH)
                        .setMaxQueueSize(ServerTelemetry.SPAN_QUEUE)
                        .build())
                .build();
        this.sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(tracing)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        this.scraper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tern-bench-prometheus-scrape");
            t.setDaemon(true);
            return t;
        });
        scraper.scheduleAtFixedRate(
                this::scrape, SCRAPE_INTERVAL_MILLIS, SCRAPE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    static ObservedTelemetry start() {
        OtlpSink sink = OtlpSink.start();
        try {
            return new ObservedTelemetry(sink);
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
    }

    /** What the engine reports to: the Prometheus registry and the SDK (not registered as the globals). */
    Observability observability() {
        return Observability.of(registry, sdk);
    }

    /** One scrape now, as the background thread does each second: the Prometheus text format. */
    String scrape() {
        long t0 = System.nanoTime();
        String text = registry.scrape();
        scrapeNanos.add(System.nanoTime() - t0);
        scrapes.increment();
        lastScrapeChars = text.length();
        return text;
    }

    /** Exports every span ended so far and waits until the sink has them (at most 30 s). */
    void flushSpans() {
        sdk.getSdkTracerProvider().forceFlush().join(30, TimeUnit.SECONDS);
    }

    /** Stops scraping (before the engine closes, so no scrape reads a store that is going away). */
    void stopScraping() {
        scraper.shutdownNow();
        try {
            scraper.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long spansEnded() {
        return spansEnded.sum();
    }

    long spansExported() {
        return spansExported.sum();
    }

    long sinkRequests() {
        return sink.requests();
    }

    long scrapes() {
        return scrapes.sum();
    }

    /**
     * What was produced: spans ended and exported (the rest were dropped by a full queue), the sink's intake, scrapes.
     */
    String summary() {
        long n = scrapes.sum();
        return String.format(
                Locale.ROOT,
                "%,d spans ended, %,d exported (%,d dropped) in %,d OTLP requests (%.1f MiB); %,d scrapes"
                        + " (last %,d KiB, %.1f ms mean)",
                spansEnded(),
                spansExported(),
                spansEnded() - spansExported(),
                sink.requests(),
                sink.bytes() / (1024.0 * 1024.0),
                n,
                lastScrapeChars / 1024,
                n == 0 ? 0.0 : scrapeNanos.sum() / 1e6 / n);
    }

    /** Stops scraping, exports the spans still queued, stops the sink and the registry. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        stopScraping();
        try {
            sdk.shutdown().join(30, TimeUnit.SECONDS);
        } finally {
            sink.close();
            registry.close();
        }
    }

    /** Counts the spans that end sampled (each goes to the batch processor's queue). */
    private record EndCounter(LongAdder ended) implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            ended.increment();
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }

    /** Counts the spans the OTLP exporter delivered. */
    private record ExportCounter(SpanExporter delegate, LongAdder exported) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            int n = spans.size();
            CompletableResultCode result = delegate.export(spans);
            result.whenComplete(() -> {
                if (result.isSuccess()) exported.add(n);
            });
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }
}

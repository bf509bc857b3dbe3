package dev.tern.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;

/**
 * Where an engine reports what it does: metrics to a Micrometer registry ({@code tern_runs_started_total},
 * {@code tern_step_duration_seconds}, the GenAI token usage…) and traces through OpenTelemetry (a span per run attempt,
 * per step, per agent turn and model call). Both cost next to nothing when they lead nowhere: a registry with no
 * backend and the no-op OpenTelemetry create no data.
 *
 * @param meters where meters are registered
 * @param openTelemetry where spans go, and how trace context is read from and written to runs
 * @param captureContent whether traces carry model messages and tool arguments (off by default: they may hold personal
 *     data)
 */
public record Observability(MeterRegistry meters, OpenTelemetry openTelemetry, boolean captureContent) {

    public Observability {
        Objects.requireNonNull(meters, "meters");
        Objects.requireNonNull(openTelemetry, "openTelemetry");
    }

    /** Nothing measured, nothing traced. */
    public static Observability none() {
        return new Observability(new CompositeMeterRegistry(), OpenTelemetry.noop(), false);
    }

    /**
     * Micrometer's global registry and OpenTelemetry's global instance: what an application (or the OpenTelemetry Java
     * agent) has set up, else nothing. The default for embedded engines.
     */
    public static Observability global() {
        return new Observability(Metrics.globalRegistry, GlobalOpenTelemetry.get(), false);
    }

    public static Observability of(MeterRegistry meters, OpenTelemetry openTelemetry) {
        return new Observability(meters, openTelemetry, false);
    }

    /** The same, with model messages and tool arguments on spans ({@code true}) or not. */
    public Observability withCaptureContent(boolean value) {
        return new Observability(meters, openTelemetry, value);
    }
}

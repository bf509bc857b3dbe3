package dev.tern.bench;

import dev.tern.engine.Observability;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A store setup whose engines report to an {@link ObservedTelemetry} of their own; closing stops the scrapes, then the
 * engines (and deletes the store), then exports what is left and reports what the telemetry produced.
 */
final class ObservedSetup implements StoreSetup {
    private final StoreSetup setup;
    private final ObservedTelemetry telemetry;
    private final Consumer<String> report;

    private ObservedSetup(StoreSetup setup, ObservedTelemetry telemetry, Consumer<String> report) {
        this.setup = setup;
        this.telemetry = telemetry;
        this.report = report;
    }

    /** Starts the telemetry, then the setup {@code open} makes with it; {@code report} gets the summary at close. */
    static ObservedSetup open(Function<Observability, StoreSetup> open, Consumer<String> report) {
        ObservedTelemetry telemetry = ObservedTelemetry.start();
        try {
            return new ObservedSetup(open.apply(telemetry.observability()), telemetry, report);
        } catch (RuntimeException e) {
            telemetry.close();
            throw e;
        }
    }

    @Override
    public Nodes nodes() {
        return setup.nodes();
    }

    @Override
    public Map<String, Long> attemptsPerNode() {
        return setup.attemptsPerNode();
    }

    /** Exports the spans ended so far. */
    @Override
    public void settle() {
        telemetry.flushSpans();
    }

    @Override
    public void close() {
        try {
            telemetry.stopScraping();
            setup.close();
        } finally {
            telemetry.close();
            report.accept(telemetry.summary());
        }
    }
}

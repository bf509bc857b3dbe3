package dev.tern.engine.internal.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.sdk.GenAiOperation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EngineMetricsTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final EngineMetrics metrics = new EngineMetrics(registry);

    @Test
    void stepNamesMadeUpAtRunTimeCannotGrowTheSeriesWithoutBound() {
        for (int i = 0; i < EngineMetrics.MAX_LABEL_VALUES + 100; i++)
            metrics.stepFinished("fetch-" + i, "function", "completed", 1_000);
        long names = registry.get("tern.step.duration").timers().stream()
                .map(t -> t.getId().getTag("name"))
                .distinct()
                .count();
        assertThat(names).isEqualTo(EngineMetrics.MAX_LABEL_VALUES + 1);
        assertThat(registry.get("tern.step.duration")
                        .tag("name", EngineMetrics.OTHER)
                        .timer()
                        .count())
                .isEqualTo(100);
        // a name admitted before the cap keeps its own series
        metrics.stepFinished("fetch-0", "function", "completed", 1_000);
        assertThat(registry.get("tern.step.duration")
                        .tag("name", "fetch-0")
                        .timer()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void modelCallsCountTokensByTypeAndModel() {
        metrics.modelCall(new GenAiOperation.ModelCall("openai", "gpt-x", "gpt-x-2026", 10, 4, "stop"), 2_000_000);
        metrics.modelCall(new GenAiOperation.ModelCall("openai", "gpt-x", "gpt-x-2026", 5, 1, "stop"), 3_000_000);
        var input = registry.get("gen_ai.client.token.usage")
                .tag("gen_ai.token.type", "input")
                .tag("gen_ai.request.model", "gpt-x")
                .tag("gen_ai.response.model", "gpt-x-2026")
                .summary();
        assertThat(input.totalAmount()).isEqualTo(15);
        assertThat(input.count()).isEqualTo(2);
        assertThat(registry.get("gen_ai.client.token.usage")
                        .tag("gen_ai.token.type", "output")
                        .summary()
                        .totalAmount())
                .isEqualTo(5);
        assertThat(registry.get("gen_ai.client.operation.duration").timer().count())
                .isEqualTo(2);
    }

    @Test
    void theStoresCountsAreReadOncePerMaxAgeAndShowNaNWhenItFails() {
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger failing = new AtomicInteger();
        metrics.unfinishedRuns(
                () -> {
                    reads.incrementAndGet();
                    if (failing.get() > 0) throw new IllegalStateException("store down");
                    return Map.of("running", 3L, "sleep", 2L);
                },
                Duration.ofHours(1));
        assertThat(registry.get("tern.runs.active").gauge().value()).isEqualTo(3.0);
        assertThat(registry.get("tern.runs.waiting")
                        .tag("reason", "sleep")
                        .gauge()
                        .value())
                .isEqualTo(2.0);
        assertThat(registry.get("tern.runs.waiting")
                        .tag("reason", "human")
                        .gauge()
                        .value())
                .isEqualTo(0.0);
        assertThat(reads.get()).isEqualTo(1);

        metrics.close();
        assertThat(registry.find("tern.runs.active").gauge()).isNull();
        EngineMetrics next = new EngineMetrics(registry);
        failing.set(1);
        next.unfinishedRuns(
                () -> {
                    throw new IllegalStateException("store down");
                },
                Duration.ofMillis(1));
        assertThat(registry.get("tern.runs.active").gauge().value()).isNaN();
    }
}

package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.Nullable;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An idempotency key names one request: a retry (same name, same input as JSON values) gets the run it started, marked
 * as found; a different request under the key is a conflict saying what differs. On both stores.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class IdempotencyTest {
    record Order(
            int quantity, @Nullable String note, @Nullable List<Double> prices) {}

    record Done(int quantity) {}

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    TernEngine engine;

    @BeforeEach
    void start() {
        fixture = new EngineFixture(store, dir);
        WorkflowDefinition<Order, Done> order =
                WorkflowDefinition.of("order", Order.class, Done.class, (ctx, in) -> new Done(in.quantity()));
        WorkflowDefinition<Order, Done> refund =
                WorkflowDefinition.of("refund", Order.class, Done.class, (ctx, in) -> new Done(-in.quantity()));
        engine = fixture.start(
                Definitions.builder().workflow(order).workflow(refund).build());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aRetryGetsTheRunItStartedAndSaysItWasFound() throws Exception {
        RunOptions key = RunOptions.none().withIdempotencyKey("order-1");
        ScheduledRun first = engine.scheduleRun(
                null, "order", json("{\"quantity\": 2, \"note\": \"gift\", \"prices\": [1.5, 2]}"), key);
        assertThat(first.created()).isTrue();
        // the same JSON value: other key order, 2.0 for 2, 2 for 2.00
        ScheduledRun retry = engine.scheduleRun(
                RunnableDefinition.Kind.WORKFLOW,
                "order",
                json("{\"prices\": [1.50, 2.0], \"note\": \"gift\", \"quantity\": 2.0}"),
                key);
        assertThat(retry.created()).isFalse();
        assertThat(retry.run().id()).isEqualTo(first.run().id());
        assertThat(engine.schedule(
                                null, "order", json("{\"quantity\": 2, \"note\": \"gift\", \"prices\": [1.5, 2]}"), key)
                        .id())
                .isEqualTo(first.run().id());
        engine.awaitCompletion(first.run().id(), Duration.ofSeconds(10));
        assertThat(engine.scheduleRun(
                                null, "order", json("{\"quantity\": 2, \"note\": \"gift\", \"prices\": [1.5, 2]}"), key)
                        .run()
                        .status())
                .isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void aDifferentInputUnderTheKeyIsAConflictNamingTheKeyAndTheInput() {
        RunOptions key = RunOptions.none().withIdempotencyKey("order-2");
        String runId =
                engine.schedule(null, "order", json("{\"quantity\": 2}"), key).id();
        for (String other : List.of(
                "{\"quantity\": 3}", "{\"quantity\": 2, \"note\": \"gift\"}", "{\"quantity\": 2, \"note\": null}")) {
            assertThatThrownBy(() -> engine.schedule(null, "order", json(other), key))
                    .as(other)
                    .isInstanceOfSatisfying(IdempotencyConflictException.class, e -> {
                        assertThat(e.differs()).isEqualTo("input");
                        assertThat(e.runId()).isEqualTo(runId);
                        assertThat(e.idempotencyKey()).isEqualTo("order-2");
                        assertThat(e.getMessage())
                                .contains("'order-2'")
                                .contains(runId)
                                .contains("different input");
                    });
        }
        assertThat(engine.runs(new RunQuery(null, "order", null, 10, null)).runs())
                .hasSize(1);
    }

    @Test
    void anotherWorkflowUnderTheKeyIsAConflictNamingTheName() {
        RunOptions key = RunOptions.none().withIdempotencyKey("order-3");
        engine.schedule(null, "order", json("{\"quantity\": 2}"), key);
        assertThatThrownBy(() -> engine.schedule(null, "refund", json("{\"quantity\": 2}"), key))
                .isInstanceOfSatisfying(IdempotencyConflictException.class, e -> {
                    assertThat(e.differs()).isEqualTo("name");
                    assertThat(e.getMessage())
                            .contains("'order-3'")
                            .contains("'order'")
                            .contains("not of 'refund'");
                });
    }

    @Test
    void withoutAKeyEveryRequestCreatesARun() {
        assertThat(engine.scheduleRun(null, "order", json("{\"quantity\": 1}"), RunOptions.none())
                        .created())
                .isTrue();
        assertThat(engine.scheduleRun(null, "order", json("{\"quantity\": 1}"), RunOptions.none())
                        .created())
                .isTrue();
        assertThat(engine.runs(new RunQuery(null, "order", null, 10, null)).runs())
                .hasSize(2);
    }

    private static JsonNode json(String text) {
        return Json.parse(text);
    }
}

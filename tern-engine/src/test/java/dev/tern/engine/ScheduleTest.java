package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interval and cron schedules on both stores: fires with the input, pause/resume/delete, one catch-up fire, refused
 * specs.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class ScheduleTest {
    record Tick(String label) {}

    record Out(String text) {}

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;

    static Definitions definitions() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of(
                        "tick", Tick.class, Out.class, (ctx, in) -> new Out("tock " + in.label())))
                .build();
    }

    TernEngine start() {
        if (fixture == null) fixture = new EngineFixture(store, dir);
        return fixture.start(definitions());
    }

    @AfterEach
    void stop() {
        if (fixture != null) fixture.close();
    }

    static JsonNode tick(String label) {
        return Json.tree(new Tick(label));
    }

    static ScheduleSpec everySecond(String label) {
        return ScheduleSpec.every("tick", tick(label), Duration.ofSeconds(1));
    }

    @Test
    void intervalScheduleFiresRepeatedlyWithItsInput() throws Exception {
        TernEngine engine = start();
        ScheduleRecord created = engine.schedules().create(everySecond("a").withId("ticker"));
        assertThat(created.id()).isEqualTo("ticker");
        assertThat(created.nextFireAt()).isEqualTo(created.createdAt().plusSeconds(1));
        assertThat(created.lastRunId()).isNull();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> engine.schedules().require("ticker").fireCount() >= 3);
        List<RunRecord> runs = engine.schedules().runs("ticker", 100);
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.name()).isEqualTo("tick");
            assertThat(r.input()).isEqualTo(tick("a"));
            assertThat(r.idempotencyKey()).matches("sched:ticker:\\d+");
        });
        assertThat(runs.stream().map(RunRecord::idempotencyKey).distinct()).hasSameSizeAs(runs);
        List<Long> fireTimes = runs.stream()
                .map(r -> Long.parseLong(r.idempotencyKey().substring("sched:ticker:".length())))
                .sorted()
                .toList();
        for (int i = 1; i < fireTimes.size(); i++) {
            assertThat((fireTimes.get(i) - fireTimes.get(0)) % 1000)
                    .as("fires keep the one-second phase")
                    .isZero();
        }
        RunRecord done = engine.awaitCompletion(runs.get(runs.size() - 1).id(), Duration.ofSeconds(10));
        assertThat(done.output().get("text").asText()).isEqualTo("tock a");

        ScheduleRecord now = engine.schedules().require("ticker");
        assertThat(now.fireCount()).isGreaterThanOrEqualTo(3);
        assertThat(now.lastRunId()).isNotNull();
        assertThat(now.lastFireAt()).isNotNull();
        assertThat(now.nextFireAt()).isAfter(now.lastFireAt());
        assertThat(now.lastError()).isNull();
        assertThat(engine.schedules().list()).extracting(ScheduleRecord::id).containsExactly("ticker");
    }

    @Test
    void pauseStopsFiresAndResumeRestartsThem() throws Exception {
        TernEngine engine = start();
        String id = engine.schedules().create(everySecond("p")).id();
        assertThat(id).startsWith("sch_");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !engine.schedules().runs(id, 100).isEmpty());

        ScheduleRecord paused = engine.schedules().pause(id);
        assertThat(paused.paused()).isTrue();
        assertThat(engine.schedules().pause(id).paused())
                .as("pausing twice is harmless")
                .isTrue();
        Thread.sleep(300); // a fire already claimed before the pause may still land
        int before = engine.schedules().runs(id, 100).size();
        Thread.sleep(2_500);
        assertThat(engine.schedules().runs(id, 100)).as("no fires while paused").hasSize(before);

        Instant resumedAt = Instant.now();
        ScheduleRecord resumed = engine.schedules().resume(id);
        assertThat(resumed.paused()).isFalse();
        assertThat(resumed.nextFireAt())
                .as("the pause is not made up")
                .isAfter(resumedAt.minusMillis(1))
                .isBefore(resumedAt.plusSeconds(2));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.schedules().runs(id, 100).size() > before);
    }

    @Test
    void deleteStopsFiresAndKeepsTheRuns() throws Exception {
        TernEngine engine = start();
        String id = engine.schedules().create(everySecond("d")).id();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !engine.schedules().runs(id, 100).isEmpty());
        engine.schedules().delete(id);
        Thread.sleep(300);
        int before =
                engine.runs(new RunQuery(null, "tick", null, 500, null)).runs().size();
        assertThat(before).isPositive();
        Thread.sleep(2_500);
        assertThat(engine.runs(new RunQuery(null, "tick", null, 500, null)).runs())
                .hasSize(before);
        assertThatThrownBy(() -> engine.schedules().require(id)).isInstanceOf(ScheduleNotFoundException.class);
        assertThatThrownBy(() -> engine.schedules().delete(id)).isInstanceOf(ScheduleNotFoundException.class);
        assertThatThrownBy(() -> engine.schedules().pause(id)).isInstanceOf(ScheduleNotFoundException.class);
        assertThatThrownBy(() -> engine.schedules().resume(id)).isInstanceOf(ScheduleNotFoundException.class);
        assertThat(engine.schedules().list()).isEmpty();
    }

    @Test
    void firesMissedWhileDownStartOneRunNotABurst() throws Exception {
        TernEngine engine = start();
        String id = engine.schedules().create(everySecond("c")).id();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !engine.schedules().runs(id, 100).isEmpty());
        fixture.crash();
        Instant down = Instant.now();
        Thread.sleep(3_500);
        Instant restarted = Instant.now();
        TernEngine again = start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> fireTimes(again, id).stream().anyMatch(t -> t.isAfter(restarted)));
        List<Instant> missed = fireTimes(again, id).stream()
                .filter(t -> t.isAfter(down) && t.isBefore(restarted))
                .toList();
        assertThat(missed)
                .as("three or four fires fell in the outage; one catch-up run stands for them")
                .hasSize(1);
    }

    static List<Instant> fireTimes(TernEngine engine, String id) {
        String prefix = ScheduleRecord.idempotencyKeyPrefix(id);
        return engine.schedules().runs(id, 100).stream()
                .map(r -> Instant.ofEpochMilli(Long.parseLong(r.idempotencyKey().substring(prefix.length()))))
                .toList();
    }

    @Test
    void cronScheduleComputesItsNextFireInItsZone() {
        TernEngine engine = start();
        ScheduleRecord s = engine.schedules()
                .create(ScheduleSpec.cron("tick", tick("c"), "0 9 * * *")
                        .withTimezone("Asia/Tokyo")
                        .withPaused(true));
        assertThat(s.cron()).isEqualTo("0 9 * * *");
        assertThat(s.interval()).isNull();
        assertThat(s.timezone()).isEqualTo("Asia/Tokyo");
        assertThat(s.paused()).isTrue();
        assertThat(s.nextFireAt().atZone(java.time.ZoneId.of("Asia/Tokyo")).toLocalTime())
                .isEqualTo(java.time.LocalTime.of(9, 0));
        assertThat(s.nextFireAt()).isAfter(s.createdAt()).isBefore(s.createdAt().plus(Duration.ofDays(1)));
    }

    @Test
    void badSpecsAreRefusedNamingTheField() {
        TernEngine engine = start();
        assertThat(violations(engine, ScheduleSpec.cron("tick", tick("x"), "61 * * * *")))
                .containsOnlyKeys("$.cron")
                .hasEntrySatisfying("$.cron", m -> assertThat(m).startsWith("invalid cron expression: "));
        assertThat(violations(
                        engine,
                        new ScheduleSpec(null, "tick", tick("x"), "* * * * *", Duration.ofSeconds(5), null, false)))
                .containsOnlyKeys("$.cron");
        assertThat(violations(engine, new ScheduleSpec(null, "tick", tick("x"), null, null, null, false)))
                .containsOnlyKeys("$.cron");
        assertThat(violations(
                        engine,
                        ScheduleSpec.cron("tick", tick("x"), "* * * * *").withTimezone("Mars/Olympus")))
                .containsOnlyKeys("$.timezone");
        assertThat(violations(engine, ScheduleSpec.every("tick", tick("x"), Duration.ofMillis(500))))
                .containsOnlyKeys("$.intervalSeconds");
        assertThat(violations(engine, everySecond("x").withId("no spaces"))).containsOnlyKeys("$.scheduleId");
        assertThat(violations(engine, ScheduleSpec.every("tick", Json.tree(Map.of("label", 5)), Duration.ofSeconds(1))))
                .containsOnlyKeys("$.input.label");
        assertThat(violations(engine, ScheduleSpec.cron("tick", tick("x"), "0 0 30 2 *")))
                .containsOnlyKeys("$.cron");
        assertThatThrownBy(
                        () -> engine.schedules().create(ScheduleSpec.every("nope", tick("x"), Duration.ofSeconds(1))))
                .isInstanceOf(UnknownDefinitionException.class);

        engine.schedules().create(everySecond("x").withId("taken").withPaused(true));
        assertThatThrownBy(() -> engine.schedules().create(everySecond("y").withId("taken")))
                .isInstanceOf(ScheduleExistsException.class)
                .hasMessageContaining("'taken' already exists");
        assertThat(engine.schedules().require("taken").input()).isEqualTo(tick("x"));
        assertThat(engine.schedules().list()).hasSize(1);
    }

    static Map<String, String> violations(TernEngine engine, ScheduleSpec spec) {
        try {
            engine.schedules().create(spec);
        } catch (InvalidInputException e) {
            return e.violations().stream()
                    .collect(java.util.stream.Collectors.toMap(
                            Violation::field, Violation::message, (a, b) -> a + "; " + b));
        }
        throw new AssertionError("accepted " + spec);
    }
}

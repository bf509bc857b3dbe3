package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.RunnableDefinition;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Organisations in the engine: runs, idempotency keys, children, forks and schedules belong to one, lists filter by it,
 * and its quota (unfinished runs, runs per second) is enforced in the store.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class OrgTest {
    record In(int seconds) {}

    record Out(int seconds) {}

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    final Map<String, OrgQuota> quotas = new ConcurrentHashMap<>();
    EngineFixture fixture;
    TernEngine engine;

    @BeforeEach
    void start() {
        fixture = new EngineFixture(store, dir);
        engine = fixture.start(
                Definitions.builder()
                        .workflow(WorkflowDefinition.of("nap", In.class, Out.class, (ctx, in) -> {
                            ctx.sleep(Duration.ofSeconds(in.seconds()));
                            return new Out(in.seconds());
                        }))
                        .workflow(WorkflowDefinition.of("parent", In.class, Out.class, (ctx, in) -> {
                            ctx.startChild("nap", new In(0));
                            return new Out(0);
                        }))
                        .build(),
                fixture.config().withQuotas(org -> quotas.getOrDefault(org, OrgQuota.UNLIMITED)));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    static JsonNode nap(int seconds) {
        return JsonNodeFactory.instance.objectNode().put("seconds", seconds);
    }

    RunRecord schedule(String org, String workflow, int seconds, String key) {
        RunOptions options = RunOptions.none().withOrg(org);
        if (key != null) options = options.withIdempotencyKey(key);
        return engine.schedule(RunnableDefinition.Kind.WORKFLOW, workflow, nap(seconds), options);
    }

    @Test
    void runsBelongToTheirOrganisationAndIdempotencyKeysArePerOrganisation() throws Exception {
        RunRecord acme = schedule("acme", "nap", 0, "same-key");
        RunRecord globex = schedule("globex", "nap", 0, "same-key");
        assertThat(acme.id()).isNotEqualTo(globex.id());
        assertThat(acme.orgId()).isEqualTo("acme");
        assertThat(globex.orgId()).isEqualTo("globex");
        assertThat(schedule("acme", "nap", 0, "same-key").id()).isEqualTo(acme.id());
        assertThat(engine.schedule(RunnableDefinition.Kind.WORKFLOW, "nap", nap(0))
                        .orgId())
                .isEqualTo(RunRecord.DEFAULT_ORG);

        assertThat(engine.runs(new RunQuery(null, null, null, 50, null).withOrg("acme"))
                        .runs())
                .extracting(RunRecord::id)
                .containsExactly(acme.id());

        RunRecord parent = schedule("acme", "parent", 0, null);
        engine.awaitCompletion(parent.id(), Duration.ofSeconds(20));
        RunRecord child = engine.runs(new RunQuery(null, null, null, 10, null).withParent(parent.id()))
                .runs()
                .get(0);
        assertThat(child.orgId())
                .as("a child inherits its parent's organisation")
                .isEqualTo("acme");
        engine.awaitCompletion(acme.id(), Duration.ofSeconds(20));
        assertThat(engine.fork(acme.id(), 0, null, RunOptions.none()).orgId()).isEqualTo("acme");
    }

    @Test
    void schedulesAreNamedAndSeenPerOrganisationAndTheirRunsBelongToIt() throws Exception {
        Schedules acme = engine.schedules().forOrg("acme");
        Schedules globex = engine.schedules().forOrg("globex");
        acme.create(new ScheduleSpec("nightly", "nap", nap(0), null, Duration.ofSeconds(1), null, false));
        globex.create(new ScheduleSpec("nightly", "nap", nap(0), null, Duration.ofHours(1), null, true));
        assertThat(acme.list()).extracting(ScheduleRecord::id).containsExactly("nightly");
        assertThat(acme.require("nightly").interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(globex.require("nightly").paused()).isTrue();
        assertThat(engine.schedules().list())
                .as("the default organisation has none")
                .isEmpty();
        assertThatThrownBy(() -> engine.schedules().require("nightly")).isInstanceOf(ScheduleNotFoundException.class);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !acme.runs("nightly", 10).isEmpty());
        assertThat(acme.runs("nightly", 10))
                .allSatisfy(r -> assertThat(r.orgId()).isEqualTo("acme"));
        globex.delete("nightly");
        assertThat(acme.require("nightly")).isNotNull();
    }

    @Test
    void anOrganisationsQuotaOfUnfinishedRunsHoldsAndRecovers() throws Exception {
        quotas.put("acme", new OrgQuota(2, null));
        RunRecord first = schedule("acme", "nap", 1, null);
        schedule("acme", "nap", 60, null);
        assertThatThrownBy(() -> schedule("acme", "nap", 0, null))
                .isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("maxActiveRuns")
                .satisfies(e ->
                        assertThat(((QuotaExceededException) e).retryAfter()).isPositive());
        assertThat(schedule("globex", "nap", 0, null).orgId())
                .as("other organisations are not held")
                .isEqualTo("globex");
        engine.awaitCompletion(first.id(), Duration.ofSeconds(20));
        assertThat(schedule("acme", "nap", 0, "after").orgId()).isEqualTo("acme");
        // a retried request finds its run even at the quota
        assertThat(schedule("acme", "nap", 0, "after").idempotencyKey()).isEqualTo("after");
    }

    @Test
    void anOrganisationsRateOfSchedulingIsHeldPerSecond() {
        quotas.put("acme", new OrgQuota(null, 3.0));
        int accepted = 0;
        int refused = 0;
        long second = java.time.Instant.now().getEpochSecond();
        for (int i = 0; i < 6; i++) {
            try {
                schedule("acme", "nap", 0, null);
                accepted++;
            } catch (QuotaExceededException e) {
                refused++;
            }
        }
        if (java.time.Instant.now().getEpochSecond() == second) {
            assertThat(accepted).isEqualTo(3);
            assertThat(refused).isEqualTo(3);
        } else {
            assertThat(accepted).as("the six spanned two seconds").isBetween(3, 6);
        }
        // the next second has room again
        long wait = 1_000 - java.time.Instant.now().getNano() / 1_000_000 + 50;
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(schedule("acme", "nap", 0, null).orgId()).isEqualTo("acme");
    }

    @Test
    void whoScheduledAndCancelledIsRecordedInTheHistory() throws Exception {
        RunRecord run;
        try (RequestedBy.Scope scope = RequestedBy.open("ci-bot")) {
            run = schedule("acme", "nap", 3600, null);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.requireRun(run.id()).suspended());
        try (RequestedBy.Scope scope = RequestedBy.open("alice")) {
            engine.cancel(run.id());
        }
        assertThat(RequestedBy.current()).isNull();
        var history = engine.history(run.id(), 0, 100);
        assertThat(history.get(0).data().path("caller").path("by").asText()).isEqualTo("ci-bot");
        assertThat(history.stream()
                        .filter(e -> e.type() == HistoryEventType.CANCEL_REQUESTED)
                        .findFirst()
                        .orElseThrow()
                        .data()
                        .path("by")
                        .asText())
                .isEqualTo("alice");
    }
}

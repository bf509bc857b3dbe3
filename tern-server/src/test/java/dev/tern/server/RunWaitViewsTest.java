package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.Nullable;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the views say a run waits on, over HTTP on both stores: a sleep, an event and a child run show
 * {@code blockedReason: dependency} with {@code waitingSince} while the run waits in its thread and once it is
 * suspended, keeping the time the wait began across a resumption, and nothing once the wait is over; the resource
 * view's {@code version} moves with the run record, not with its history.
 */
@ParameterizedClass
@ValueSource(strings = {"sqlite", "postgresql"})
class RunWaitViewsTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration GRACE = Duration.ofMillis(1500);
    static final JsonSchema RESOURCE_RUN = SpecSchemas.file("agent-service-run.schema.json");

    record Nap(long ms) {}

    record Go(@Nullable String note) {}

    record Done(@Nullable String note) {}

    record Empty() {}

    @Parameter
    String store;

    @TempDir
    Path dir;

    TestStore db;
    LocalNode node;
    final Semaphore stepOne = new Semaphore(0);
    final Semaphore stepTwo = new Semaphore(0);

    Definitions definitions() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of("nap", Nap.class, Done.class, (ctx, nap) -> {
                    ctx.sleep(Duration.ofMillis(nap.ms()));
                    return new Done("slept");
                }))
                .workflow(WorkflowDefinition.of(
                        "gate",
                        Empty.class,
                        Done.class,
                        (ctx, in) -> new Done(ctx.awaitEvent("go", Go.class).note())))
                .workflow(WorkflowDefinition.of(
                        "parent", Nap.class, Done.class, (ctx, nap) -> ctx.runChild("nap", nap, Done.class)))
                .workflow(WorkflowDefinition.of("stepper", Empty.class, Done.class, (ctx, in) -> {
                    ctx.step("one", String.class, () -> acquire(stepOne));
                    ctx.step("two", String.class, () -> acquire(stepTwo));
                    return new Done(ctx.awaitEvent("go", Go.class).note());
                }))
                .build();
    }

    static String acquire(Semaphore gate) throws InterruptedException {
        if (!gate.tryAcquire(30, TimeUnit.SECONDS)) throw new IllegalStateException("the test never opened the gate");
        return "passed";
    }

    @BeforeEach
    void start() {
        db = TestStore.of(store, dir);
        node = LocalNode.start(
                db.config().withSuspendGrace(GRACE).withPollInterval(Duration.ofMillis(100)), definitions());
    }

    @AfterEach
    void stop() {
        stepOne.release(10);
        stepTwo.release(10);
        if (node != null) node.close();
        if (db != null) db.close();
    }

    String schedule(String name, String input) {
        return node.post("/v1/runs", "{\"name\": \"" + name + "\", \"input\": " + input + "}")
                .get("runId")
                .asText();
    }

    @Test
    void aSleepIsADependencyInItsThreadAndSuspendedUntilItEnds() throws Exception {
        String shortNap = schedule("nap", "{\"ms\": 1200}");
        JsonNode inThread = awaitRun(shortNap, r -> r.has("blockedReason"), "a blocked reason");
        assertThat(inThread.has("waiting"))
                .as("a sleep within the grace period waits in its thread: %s", inThread)
                .isFalse();
        assertBlockedOnDependency(
                shortNap,
                inThread,
                inThread.get("steps").get(0).get("startedAt").asText());
        assertNotBlockedOnceDone(shortNap);

        String longNap = schedule("nap", "{\"ms\": 3000}");
        JsonNode suspended =
                awaitRun(longNap, r -> r.path("waiting").path("suspended").asBoolean(), "a suspension");
        assertBlockedOnDependency(
                longNap,
                suspended,
                suspended.get("steps").get(0).get("startedAt").asText());
        assertNotBlockedOnceDone(longNap);
    }

    @Test
    void anEventWaitIsADependencyThatKeepsItsStartAcrossAResumption() throws Exception {
        String runId = schedule("gate", "{}");
        JsonNode inThread = awaitRun(runId, r -> r.has("blockedReason"), "a blocked reason");
        assertThat(inThread.has("waiting")).isFalse();
        String since = inThread.get("waitingSince").asText();
        assertBlockedOnDependency(runId, inThread, since);
        assertBlockedOnDependency(
                runId, awaitRun(runId, r -> r.path("waiting").path("suspended").asBoolean(), "a suspension"), since);

        node.post("/v1/runs/" + runId + "/events", "{\"eventName\": \"unrelated\"}");
        JsonNode resumed = awaitRun(runId, r -> r.get("attempts").get(0).has("resumes"), "a resumption");
        assertBlockedOnDependency(runId, resumed, since);
        assertBlockedOnDependency(
                runId,
                awaitRun(
                        runId,
                        r -> r.path("waiting").path("suspended").asBoolean()
                                && r.get("attempts").get(0).get("resumes").size() == 1,
                        "a second suspension"),
                since);

        node.post("/v1/runs/" + runId + "/events", "{\"eventName\": \"go\", \"eventInput\": {\"note\": \"went\"}}");
        assertThat(assertNotBlockedOnceDone(runId).get("output").get("note").asText())
                .isEqualTo("went");
    }

    @Test
    void aParentAwaitingItsChildIsBlockedOnADependency() throws Exception {
        String runId = schedule("parent", "{\"ms\": 3000}");
        JsonNode inThread = awaitRun(runId, r -> r.has("blockedReason"), "a blocked reason");
        assertThat(inThread.has("waiting")).isFalse();
        assertBlockedOnDependency(runId, inThread, inThread.get("waitingSince").asText());
        assertBlockedOnDependency(
                runId,
                awaitRun(runId, r -> r.path("waiting").path("suspended").asBoolean(), "a suspension"),
                inThread.get("waitingSince").asText());
        assertNotBlockedOnceDone(runId);
    }

    @Test
    void theVersionMovesWithTheRunRecordNotWithItsHistory() throws Exception {
        String runId = schedule("stepper", "{}");
        JsonNode first = awaitResource(runId, r -> r.get("status").asText().equals("running"), "a running run");
        long version = first.get("version").asLong();

        stepOne.release();
        awaitRun(runId, r -> r.get("steps").size() == 1, "step one checkpointed");
        JsonNode afterStep = resource(runId);
        assertThat(afterStep.get("eventSequence").asLong())
                .as("history grew")
                .isGreaterThan(first.get("eventSequence").asLong());
        assertThat(afterStep.get("version").asLong())
                .as("a checkpoint changes no field of the run record")
                .isEqualTo(version);

        stepTwo.release();
        JsonNode waiting = awaitResource(runId, r -> r.has("blockedReason"), "the wait for the event");
        assertThat(waiting.get("version").asLong())
                .as("waiting is a change of the record")
                .isGreaterThan(version);

        node.post("/v1/runs/" + runId + "/events", "{\"eventName\": \"go\"}");
        JsonNode done = awaitResource(runId, r -> r.get("status").asText().equals("completed"), "the end");
        assertThat(done.get("version").asLong())
                .isGreaterThan(waiting.get("version").asLong());
        assertThat(resource(runId).get("version")).as("reading changes nothing").isEqualTo(done.get("version"));
    }

    /** The native and resource views both show a dependency since {@code since}; the resource view validates. */
    void assertBlockedOnDependency(String runId, JsonNode run, String since) {
        assertThat(run.get("status").asText()).isEqualTo("running");
        assertThat(run.get("blockedReason").asText()).as("%s", run).isEqualTo("dependency");
        assertThat(run.get("waitingSince").asText()).isEqualTo(since);
        JsonNode resource = resource(runId);
        assertThat(resource.get("blockedReason").asText()).as("%s", resource).isEqualTo("dependency");
        assertThat(resource.get("waitingSince").asText()).isEqualTo(since);
    }

    JsonNode assertNotBlockedOnceDone(String runId) throws InterruptedException {
        JsonNode done = awaitRun(runId, r -> r.get("status").asText().equals("completed"), "the end");
        assertThat(done.has("blockedReason")).as("%s", done).isFalse();
        assertThat(done.has("waitingSince")).isFalse();
        JsonNode resource = resource(runId);
        assertThat(resource.has("blockedReason")).isFalse();
        assertThat(resource.has("waitingSince")).isFalse();
        return done;
    }

    JsonNode awaitRun(String runId, java.util.function.Predicate<JsonNode> until, String what)
            throws InterruptedException {
        return node.await("/v1/runs/" + runId, until, WAIT, what);
    }

    JsonNode awaitResource(String runId, java.util.function.Predicate<JsonNode> until, String what)
            throws InterruptedException {
        JsonNode r = node.await("/v1/runs/" + runId + "?view=resource", until, WAIT, what);
        assertThat(SpecSchemas.errors(RESOURCE_RUN, r)).as("%s", r).isEmpty();
        return r;
    }

    JsonNode resource(String runId) {
        JsonNode r = node.get("/v1/runs/" + runId + "?view=resource");
        assertThat(SpecSchemas.errors(RESOURCE_RUN, r)).as("%s", r).isEmpty();
        return r;
    }
}

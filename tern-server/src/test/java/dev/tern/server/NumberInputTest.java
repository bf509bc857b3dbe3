package dev.tern.server;

import static dev.tern.server.RestackApiConformanceTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.RunQuery;
import dev.tern.examples.Demo;
import dev.tern.sdk.AgentDefinition;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.HumanQuestion;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers beyond their Java type, and values that fit the schema but not the type, over real HTTP: a 400 naming the
 * field at the API (inputs, events, answers), a run error without Java names inside a run; never a 201 followed by a
 * run failing on an unreadable input.
 */
class NumberInputTest {
    record Amount(int cents) {}

    record Meeting(Instant at) {}

    record Done(int total) {}

    record Start() {}

    @TempDir
    Path dir;

    TestServer server;

    @BeforeEach
    void start() {
        Definitions extra = Definitions.builder()
                .workflow(WorkflowDefinition.of("meeting", Meeting.class, Done.class, (ctx, in) -> new Done(0)))
                .workflow(WorkflowDefinition.of(
                        "till",
                        Start.class,
                        Done.class,
                        (ctx, in) ->
                                new Done(ctx.awaitEvent("pay", Amount.class).cents())))
                .workflow(WorkflowDefinition.of(
                        "tally",
                        Start.class,
                        Done.class,
                        (ctx, in) -> new Done(
                                ctx.askHuman("How many cents?", Amount.class).cents())))
                .workflow(WorkflowDefinition.of(
                        "loose",
                        Start.class,
                        Done.class,
                        (ctx, in) -> new Done(ctx.askHuman(
                                        HumanQuestion.of("Anything?").withAnswerSchema("{\"type\": \"object\"}"),
                                        Amount.class)
                                .orElseThrow()
                                .cents())))
                .agent(AgentDefinition.<Start, int[], Done>builder("purse", Start.class, Done.class, in -> new int[1])
                        .on("add", Amount.class, (ctx, state, add) -> state[0] += add.cents())
                        .run((ctx, state, in) -> {
                            ctx.awaitEvent("never", Start.class);
                            return new Done(state[0]);
                        }))
                .build();
        server = TestServer.start(
                EngineConfig.embedded(dir).withFsync(false),
                null,
                1 << 20,
                Definitions.builder().addAll(Demo.definitions()).addAll(extra).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anIntBeyondItsRangeIsA400NamingTheFieldAndStartsNoRun() {
        for (String seconds : List.of("2147483648", "-2147483649", "1e300", "1.5", "\"5\"", "9223372036854775808")) {
            String body = "{\"input\": {\"seconds\": " + seconds + "}}";
            JsonNode restack = assertProblem(server.post("/api/workflows/sleepy", body), 400);
            assertThat(restack.get("errors"))
                    .as(seconds)
                    .extracting(e -> e.get("field").asText())
                    .containsExactly("$.seconds");
            JsonNode nativeApi =
                    assertProblem(server.post("/v1/runs", "{\"name\": \"sleepy\", " + body.substring(1)), 400);
            assertThat(nativeApi.get("errors"))
                    .as(seconds)
                    .extracting(e -> e.get("field").asText())
                    .containsExactly("$.seconds");
        }
        assertThat(server.engine()
                        .runs(new RunQuery(null, null, null, 10, null))
                        .runs())
                .isEmpty();
        assertThat(server.post("/api/workflows/sleepy", "{\"input\": {\"seconds\": 0}}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void theSchemasShownCarryTheRanges() {
        JsonNode definitions = server.get("/v1/definitions").body().get("definitions");
        JsonNode seconds =
                find(definitions, "sleepy").get("inputSchema").get("properties").get("seconds");
        assertThat(seconds.get("type").asText()).isEqualTo("integer");
        assertThat(seconds.get("minimum").asLong()).isEqualTo(Integer.MIN_VALUE);
        assertThat(seconds.get("maximum").asLong()).isEqualTo(Integer.MAX_VALUE);
        JsonNode add = find(definitions, "purse")
                .get("events")
                .get("add")
                .get("properties")
                .get("cents");
        assertThat(add.get("maximum").asLong()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void eventInputsAndAnswersBeyondTheRangeAre400s() throws Exception {
        String purse =
                server.post("/api/agents/purse", "{}").body().get("runId").asText();
        JsonNode event = assertProblem(
                server.put(
                        "/api/agents/purse/" + purse,
                        "{\"eventName\": \"add\", \"eventInput\": {\"cents\": 2147483648}}"),
                400);
        assertThat(event.get("errors")).extracting(e -> e.get("field").asText()).containsExactly("$.eventInput.cents");
        assertProblem(
                server.post(
                        "/v1/runs/" + purse + "/events",
                        "{\"eventName\": \"add\", \"eventInput\": {\"cents\": 1e300}}"),
                400);

        String tally = server.post("/v1/runs", "{\"name\": \"tally\"}")
                .body()
                .get("runId")
                .asText();
        String question = awaitQuestion(tally);
        JsonNode answer = assertProblem(
                server.post("/v1/runs/" + tally + "/interactions/" + question, "{\"answer\": {\"cents\": 2147483648}}"),
                400);
        assertThat(answer.get("errors"))
                .extracting(e -> e.get("field").asText())
                .containsExactly("$.cents");
        assertThat(server.post("/v1/runs/" + tally + "/interactions/" + question, "{\"answer\": {\"cents\": 7}}")
                        .status())
                .isEqualTo(200);
        assertThat(server.awaitRun(tally, Duration.ofSeconds(10))
                        .get("output")
                        .get("total")
                        .asInt())
                .isEqualTo(7);
    }

    @Test
    void aValueTheTypeCannotReadIsA400NamingTheFieldWithoutJavaNames() {
        TestServer.Response r = server.post("/api/workflows/meeting", "{\"input\": {\"at\": \"next tuesday\"}}");
        JsonNode p = assertProblem(r, 400);
        assertThat(p.get("errors")).extracting(e -> e.get("field").asText()).containsExactly("$.at");
        assertNoJavaNames(r.raw());
        assertThat(server.post("/api/workflows/meeting", "{\"input\": {\"at\": \"2026-01-01T12:00:00Z\"}}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aValueThatCannotBeReadInsideARunFailsItWithoutJavaNames() throws Exception {
        // workflow events are not checked against a type when sent: the run reads them
        String till = server.post("/v1/runs", "{\"name\": \"till\"}")
                .body()
                .get("runId")
                .asText();
        assertThat(server.post(
                                "/v1/runs/" + till + "/events",
                                "{\"eventName\": \"pay\", \"eventInput\": {\"cents\": 2147483648}}")
                        .status())
                .isEqualTo(200);
        assertUnreadableRun(server.awaitRun(till, Duration.ofSeconds(10)), "$.cents");

        // an answer that fits the question's own schema but not the answer type
        String loose = server.post("/v1/runs", "{\"name\": \"loose\"}")
                .body()
                .get("runId")
                .asText();
        String question = awaitQuestion(loose);
        assertThat(server.post("/v1/runs/" + loose + "/interactions/" + question, "{\"answer\": {\"cents\": \"many\"}}")
                        .status())
                .isEqualTo(200);
        assertUnreadableRun(server.awaitRun(loose, Duration.ofSeconds(10)), "$.cents");
    }

    private void assertUnreadableRun(JsonNode run, String field) {
        assertThat(run.get("status").asText()).isEqualTo("failed");
        JsonNode error = run.get("error");
        assertThat(error.get("type").asText()).isEqualTo("UnreadablePayload");
        assertThat(error.get("message").asText()).startsWith(field + ": ");
        assertNoJavaNames(error.toString());
    }

    private static void assertNoJavaNames(String text) {
        assertThat(text)
                .doesNotContain("java.")
                .doesNotContain("Exception")
                .doesNotContain("dev.tern")
                .doesNotContain("NumberInputTest")
                .doesNotContain("$Amount")
                .doesNotContain("Instant")
                .doesNotContain("Jackson");
    }

    private String awaitQuestion(String runId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode list =
                    server.get("/v1/runs/" + runId + "/interactions").body().get("interactions");
            if (!list.isEmpty()) return list.get(0).get("interactionId").asText();
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " asked no question");
    }

    private static JsonNode find(JsonNode definitions, String name) {
        for (JsonNode d : definitions) {
            if (d.get("name").asText().equals(name)) return d;
        }
        throw new AssertionError("no definition " + name);
    }
}

package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.PostgresTestDatabase;
import dev.tern.examples.Demo;
import dev.tern.examples.SleepyWorkflow;
import dev.tern.sdk.ChildRun;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The agent features over real HTTP, on the embedded store and on PostgreSQL. */
class AgentApiTest {
    enum Store {
        SQLITE,
        POSTGRESQL
    }

    private static final JsonSchema AGENT_RUN = SpecSchemas.file("agent-run.schema.json");
    private static final JsonSchema RESOURCE_RUN = SpecSchemas.file("agent-service-run.schema.json");

    @TempDir
    Path dir;

    private TestServer server;
    private String schema;

    private TestServer start(Store store) {
        return start(store, EngineConfig.DEFAULT_CONTINUE_AS_NEW_AFTER_STEPS);
    }

    private TestServer start(Store store, int continueAsNewAfterSteps) {
        return start(store, continueAsNewAfterSteps, Demo.definitions());
    }

    private TestServer start(Store store, int continueAsNewAfterSteps, Definitions definitions) {
        EngineConfig config;
        if (store == Store.POSTGRESQL) {
            schema = PostgresTestDatabase.newSchema();
            config = EngineConfig.postgres(PostgresTestDatabase.url(schema));
        } else {
            config = EngineConfig.embedded(dir).withFsync(false);
        }
        server = TestServer.start(
                config.withContinueAsNewAfterSteps(continueAsNewAfterSteps), null, 10L * 1024 * 1024, definitions);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (schema != null) PostgresTestDatabase.drop(schema);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void approvalWaitsForAHumanAndResumesOnTheAnswer(Store store) throws Exception {
        TestServer s = start(store);
        String runId = schedule(s, "{\"name\": \"approval\", \"input\": {}}");
        JsonNode waiting = awaitStatus(s, runId, "awaiting-human");
        assertThat(waiting.get("blockingInteractionId").asText()).startsWith("int_");
        assertThat(waiting.get("blockedReason").asText()).isNotBlank();
        assertThat(Instant.parse(waiting.get("waitingSince").asText()))
                .isBefore(Instant.now().plusSeconds(1));
        assertThat(waiting.get("openInteractionCount").asInt()).isEqualTo(1);

        JsonNode list = s.get("/v1/runs/" + runId + "/interactions").body();
        assertThat(list.get("interactions")).hasSize(1);
        JsonNode question = list.get("interactions").get(0);
        String iid = question.get("interactionId").asText();
        assertThat(iid).isEqualTo(waiting.get("blockingInteractionId").asText());
        assertThat(question.get("status").asText()).isEqualTo("open");
        assertThat(question.get("prompt").asText()).contains("Publish this announcement?");
        assertThat(question.get("answerSchema").get("properties").has("approved"))
                .isTrue();

        assertValid(RESOURCE_RUN, s.get("/v1/runs/" + runId + "?view=resource").body(), "awaiting-human");

        String answerPath = "/v1/runs/" + runId + "/interactions/" + iid;
        TestServer.Response wrongType = s.post(answerPath, "{\"answer\": {\"approved\": \"yes\"}}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.raw()).contains("$.approved");
        assertThat(s.post(answerPath, "{\"answer\": {\"comment\": \"no flag\"}}")
                        .status())
                .isEqualTo(400);
        TestServer.Response missing = s.post(answerPath, "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.raw()).contains("$.answer");
        assertThat(s.post("/v1/runs/" + runId + "/interactions/int_nope", "{\"answer\": {\"approved\": true}}")
                        .status())
                .isEqualTo(404);
        assertThat(s.post("/v1/runs/run_nope/interactions/" + iid, "{\"answer\": {\"approved\": true}}")
                        .status())
                .isEqualTo(404);

        TestServer.Response answered =
                s.post(answerPath, "{\"answer\": {\"approved\": true, \"comment\": \"ship it\"}}");
        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.body().get("status").asText()).isEqualTo("answered");
        TestServer.Response twice = s.post(answerPath, "{\"answer\": {\"approved\": false}}");
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.contentType()).startsWith("application/problem+json");

        JsonNode done = s.awaitRun(runId, Duration.ofSeconds(20));
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("output").get("comment").asText()).isEqualTo("ship it");
        assertThat(done.get("openInteractionCount").asInt()).isZero();
        assertThat(done.has("blockingInteractionId")).isFalse();

        JsonNode agentRun = s.get("/v1/runs/" + runId + "?view=agent-run").body();
        assertValid(AGENT_RUN, agentRun, "agent-run");
        assertThat(agentRun.get("metrics").get("input_tokens").asInt()).isEqualTo(42);
        assertThat(agentRun.get("metrics").get("output_tokens").asInt()).isEqualTo(17);
        assertThat(agentRun.get("metrics").get("tool_call_count").asInt()).isEqualTo(1);
        assertValid(RESOURCE_RUN, s.get("/v1/runs/" + runId + "?view=resource").body(), "completed");
        List<String> types = new ArrayList<>();
        done.get("steps").forEach(step -> types.add(step.get("type").asText()));
        assertThat(types).contains("message", "tool_call");
        assertThat(s.get("/v1/runs/" + runId + "?view=nope").status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aRejectedDraftFailsTheRunWithTheComment(Store store) throws Exception {
        TestServer s = start(store);
        String runId = schedule(s, "{\"name\": \"approval\", \"input\": {}}");
        String iid = awaitStatus(s, runId, "awaiting-human")
                .get("blockingInteractionId")
                .asText();
        assertThat(s.post(
                                "/v1/runs/" + runId + "/interactions/" + iid,
                                "{\"answer\": {\"approved\": false, \"comment\": \"too loud\"}}")
                        .status())
                .isEqualTo(200);
        JsonNode done = s.awaitRun(runId, Duration.ofSeconds(20));
        assertThat(done.get("status").asText()).isEqualTo("failed");
        assertThat(done.get("error").get("message").asText()).contains("too loud");
        assertValid(RESOURCE_RUN, s.get("/v1/runs/" + runId + "?view=resource").body(), "failed");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void deadlinesFailUnfinishedRunsAndBadDeadlinesAreRejected(Store store) throws Exception {
        TestServer s = start(store);
        String timed = schedule(s, "{\"name\": \"sleepy\", \"input\": {\"seconds\": 60}, \"timeoutSeconds\": 1}");
        assertThat(s.get("/v1/runs/" + timed).body().get("deadlineAt").asText()).isNotBlank();
        JsonNode failed = s.awaitRun(timed, Duration.ofSeconds(20));
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").get("type").asText()).isEqualTo("DeadlineExceeded");

        String deadline = Instant.now().plusMillis(800).toString();
        String atDeadline =
                schedule(s, "{\"name\": \"approval\", \"input\": {}, \"deadlineAt\": \"" + deadline + "\"}");
        JsonNode expired = s.awaitRun(atDeadline, Duration.ofSeconds(20));
        assertThat(expired.get("status").asText()).isEqualTo("failed");
        assertThat(expired.get("error").get("type").asText()).isEqualTo("DeadlineExceeded");

        assertBadRequest(
                s.post("/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"x\"}, \"deadlineAt\": \"tomorrow\"}"),
                "$.deadlineAt");
        assertBadRequest(
                s.post("/v1/runs", "{\"name\": \"hello\", \"input\": {\"name\": \"x\"}, \"timeoutSeconds\": -5}"),
                "$.timeoutSeconds");
        assertBadRequest(
                s.post(
                        "/v1/runs",
                        "{\"name\": \"hello\", \"input\": {\"name\": \"x\"}, \"timeoutSeconds\": 5, \"deadlineAt\": \""
                                + deadline + "\"}"),
                "$.timeoutSeconds");
        assertBadRequest(
                s.post(
                        "/v1/runs",
                        "{\"name\": \"hello\", \"input\": {\"name\": \"x\"}, \"deadlineAt\": "
                                + "\"2001-01-01T00:00:00Z\"}"),
                "deadlineAt");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void idempotencyKeysReturnTheSameRun(Store store) {
        TestServer s = start(store);
        String body = "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}";
        TestServer.Response first = s.send("POST", "/v1/runs", body, null, "Idempotency-Key", "order-17");
        TestServer.Response again = s.send("POST", "/v1/runs", body, null, "Idempotency-Key", "order-17");
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.body().get("runId").asText())
                .isEqualTo(first.body().get("runId").asText());
        String viaField = s.post(
                        "/v1/runs",
                        "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}, \"idempotencyKey\": \"order-17\"}")
                .body()
                .get("runId")
                .asText();
        assertThat(viaField).isEqualTo(first.body().get("runId").asText());
        String restack = s.post(
                        "/api/workflows/hello", "{\"input\": {\"name\": \"Ada\"}, \"idempotencyKey\": \"order-17\"}")
                .body()
                .path("runId")
                .asText();
        assertThat(restack).isEqualTo(viaField);
        assertThat(s.post(
                                "/v1/runs",
                                "{\"name\": \"hello\", \"input\": {\"name\": \"Bo\"}, \"idempotencyKey\": "
                                        + "\"order-18\"}")
                        .body()
                        .get("runId")
                        .asText())
                .isNotEqualTo(viaField);
        assertThat(s.send(
                                "POST",
                                "/v1/runs",
                                "{\"name\": \"sleepy\", \"input\": {\"seconds\": 1}}",
                                null,
                                "Idempotency-Key",
                                "order-17")
                        .status())
                .isEqualTo(409);
        assertBadRequest(
                s.send(
                        "POST",
                        "/v1/runs",
                        "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}, \"idempotencyKey\": \"a\"}",
                        null,
                        "Idempotency-Key",
                        "b"),
                "$.idempotencyKey");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void threadsGroupRuns(Store store) throws Exception {
        TestServer s = start(store);
        String a = schedule(s, "{\"name\": \"hello\", \"input\": {\"name\": \"A\"}, \"threadId\": \"thread-1\"}");
        String b = schedule(s, "{\"name\": \"hello\", \"input\": {\"name\": \"B\"}, \"threadId\": \"thread-1\"}");
        schedule(s, "{\"name\": \"hello\", \"input\": {\"name\": \"C\"}, \"threadId\": \"thread-2\"}");
        List<String> ids = new ArrayList<>();
        s.get("/v1/threads/thread-1/runs")
                .body()
                .get("runs")
                .forEach(r -> ids.add(r.get("runId").asText()));
        assertThat(ids).containsExactlyInAnyOrder(a, b);
        s.get("/v1/runs?threadId=thread-1")
                .body()
                .get("runs")
                .forEach(r -> assertThat(r.get("threadId").asText()).isEqualTo("thread-1"));
        s.awaitRun(a, Duration.ofSeconds(20));
        assertValid(RESOURCE_RUN, s.get("/v1/runs/" + a + "?view=resource").body(), "thread");
        assertThat(s.get("/v1/runs/" + a + "?view=resource")
                        .body()
                        .get("threadId")
                        .asText())
                .isEqualTo("thread-1");
        assertThat(s.get("/v1/threads/nothing-here/runs").body().get("runs")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void childrenAreLinkedToTheirParent(Store store) throws Exception {
        TestServer s = start(store);
        String parent =
                schedule(s, "{\"name\": \"greetAll\", \"input\": {\"names\": [\"Ada\", \"Grace\", \"Linus\"]}}");
        JsonNode done = s.awaitRun(parent, Duration.ofSeconds(30));
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("output").get("messages"))
                .extracting(JsonNode::asText)
                .containsExactly("Hello, Ada!", "Hello, Grace!", "Hello, Linus!");
        assertThat(done.get("output").get("totalLetters").asInt()).isEqualTo(13);
        JsonNode children = s.get("/v1/runs?parentRunId=" + parent).body().get("runs");
        assertThat(children).hasSize(3);
        for (JsonNode child : children) {
            assertThat(child.get("parentRunId").asText()).isEqualTo(parent);
            assertThat(child.get("name").asText()).isEqualTo("hello");
            assertThat(child.get("status").asText()).isEqualTo("completed");
            JsonNode resource = s.get("/v1/runs/" + child.get("runId").asText() + "?view=resource")
                    .body();
            assertValid(RESOURCE_RUN, resource, "child");
            assertThat(resource.get("contextId").asText()).isEqualTo(parent);
        }
    }

    record Naps(int children) {}

    record Done(int slept) {}

    @ParameterizedTest
    @EnumSource(Store.class)
    void cancellingAParentCancelsItsChildren(Store store) throws Exception {
        Definitions definitions = Definitions.builder()
                .workflow(SleepyWorkflow.DEFINITION)
                .workflow(WorkflowDefinition.of("naps", Naps.class, Done.class, (ctx, in) -> {
                    List<ChildRun> children = new ArrayList<>();
                    for (int i = 0; i < in.children(); i++)
                        children.add(ctx.startChild("sleepy", new SleepyWorkflow.Input(60)));
                    return new Done(ctx.awaitAll(children, SleepyWorkflow.Output.class).stream()
                            .mapToInt(SleepyWorkflow.Output::sleptSeconds)
                            .sum());
                }))
                .build();
        TestServer s = start(store, EngineConfig.DEFAULT_CONTINUE_AS_NEW_AFTER_STEPS, definitions);
        String parent = schedule(s, "{\"name\": \"naps\", \"input\": {\"children\": 2}}");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (s.get("/v1/runs?parentRunId=" + parent).body().get("runs").size() < 2) {
            assertThat(System.nanoTime()).as("two children started").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(s.post("/v1/runs/" + parent + "/cancel", null).status()).isEqualTo(200);
        assertThat(s.awaitRun(parent, Duration.ofSeconds(20)).get("status").asText())
                .isEqualTo("cancelled");
        for (JsonNode child : s.get("/v1/runs?parentRunId=" + parent).body().get("runs")) {
            JsonNode done = s.awaitRun(child.get("runId").asText(), Duration.ofSeconds(20));
            assertThat(done.get("status").asText()).isEqualTo("cancelled");
            assertThat(done.get("error").get("message").asText()).contains(parent);
        }
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void cancellingAWaitingRunClosesItsQuestion(Store store) throws Exception {
        TestServer s = start(store);
        String parent = schedule(s, "{\"name\": \"approval\", \"input\": {}}");
        awaitStatus(s, parent, "awaiting-human");
        assertThat(s.post("/v1/runs/" + parent + "/cancel", null).status()).isEqualTo(200);
        JsonNode cancelled = s.awaitRun(parent, Duration.ofSeconds(20));
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        JsonNode interactions =
                s.get("/v1/runs/" + parent + "/interactions").body().get("interactions");
        assertThat(interactions.get(0).get("status").asText()).isEqualTo("closed");
        assertThat(s.post(
                                "/v1/runs/" + parent + "/interactions/"
                                        + interactions
                                                .get(0)
                                                .get("interactionId")
                                                .asText(),
                                "{\"answer\": {\"approved\": true}}")
                        .status())
                .isEqualTo(409);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void runsWaitingOnTheLlmQueueShowQueued(Store store) throws Exception {
        TestServer s = start(store);
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < 6; i++)
            agents.add(s.post("/api/agents/chat", "{\"input\": {}}")
                    .body()
                    .get("runId")
                    .asText());
        for (String id : agents) {
            assertThat(s.put(
                                    "/api/agents/chat/" + id,
                                    "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": "
                                            + "[{\"role\": \"user\", \"content\": \"hi\"}]}}")
                            .status())
                    .isEqualTo(200);
        }
        JsonNode queued = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (queued == null && System.nanoTime() < deadline) {
            for (JsonNode run : s.get("/v1/runs?name=chat&status=queued").body().get("runs")) {
                if (run.path("attempt").asInt() > 0) queued = run;
            }
        }
        assertThat(queued)
                .as("a chat run waiting on the llm queue (2 per second) shows queued")
                .isNotNull();
        assertThat(queued.get("blockedReason").asText()).isEqualTo("rate_limited");
        for (String id : agents) {
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (s.get("/v1/runs/" + id + "/history").body().get("events").findValues("type").stream()
                            .noneMatch(t -> t.asText().equals("event_handled"))
                    && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            s.put("/api/agents/chat/" + id, "{\"eventName\": \"end\", \"eventInput\": {}}");
            assertThat(s.awaitRun(id, Duration.ofSeconds(20)).get("status").asText())
                    .isEqualTo("completed");
        }
        JsonNode history =
                s.get("/v1/runs/" + queued.get("runId").asText() + "/history").body();
        assertThat(history.get("events").findValues("type"))
                .extracting(JsonNode::asText)
                .contains("waiting_on_limit", "limit_acquired");
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aLongLivedAgentContinuesAsNewAndEventsToItsFirstRunFollow(Store store) throws Exception {
        TestServer s = start(store, 6);
        String first = s.post("/api/agents/echo", "{\"input\": {}}")
                .body()
                .get("runId")
                .asText();
        String deliveredTo = first;
        for (int i = 1; i <= 10; i++) {
            TestServer.Response sent = s.put(
                    "/api/agents/echo/" + first,
                    "{\"eventName\": \"say\", \"eventInput\": {\"text\": \"line " + i + "\"}}");
            assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
            deliveredTo = sent.body().get("deliveredTo").asText();
            Thread.sleep(30);
        }
        s.put("/api/agents/echo/" + first, "{\"eventName\": \"end\", \"eventInput\": {}}");
        List<JsonNode> chain = new ArrayList<>();
        JsonNode run = s.awaitRun(first, Duration.ofSeconds(20));
        chain.add(run);
        while (run.path("output").has("continuedAs")) {
            run = s.awaitRun(run.get("output").get("continuedAs").asText(), Duration.ofSeconds(20));
            chain.add(run);
        }
        assertThat(chain.size())
                .as("ten events of two steps each, continuing every 6 steps")
                .isGreaterThanOrEqualTo(3);
        assertThat(deliveredTo).isNotEqualTo(first);
        JsonNode last = chain.get(chain.size() - 1);
        assertThat(last.get("status").asText()).isEqualTo("completed");
        List<String> lines = new ArrayList<>();
        last.get("output").get("lines").forEach(l -> lines.add(l.asText()));
        assertThat(lines)
                .containsExactly(
                        "LINE 1!",
                        "LINE 2!",
                        "LINE 3!",
                        "LINE 4!",
                        "LINE 5!",
                        "LINE 6!",
                        "LINE 7!",
                        "LINE 8!",
                        "LINE 9!",
                        "LINE 10!");
        for (int i = 1; i < chain.size(); i++) {
            assertThat(chain.get(i).get("continuedFrom").asText())
                    .isEqualTo(chain.get(i - 1).get("runId").asText());
            assertThat(chain.get(i).get("agentId").asText()).isEqualTo(first);
        }
        assertValid(
                RESOURCE_RUN,
                s.get("/v1/runs/" + last.get("runId").asText() + "?view=resource")
                        .body(),
                "continued");
        assertValid(
                AGENT_RUN,
                s.get("/v1/runs/" + last.get("runId").asText() + "?view=agent-run")
                        .body(),
                "continued");
    }

    private static String schedule(TestServer s, String body) {
        TestServer.Response r = s.post("/v1/runs", body);
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body().get("runId").asText();
    }

    private static JsonNode awaitStatus(TestServer s, String runId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode run;
        do {
            run = s.get("/v1/runs/" + runId).body();
            if (run.get("status").asText().equals(status)) return run;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("run " + runId + " never reached " + status + ": " + run);
    }

    private static void assertValid(JsonSchema schema, JsonNode view, String label) {
        assertThat(SpecSchemas.errors(schema, view))
                .as("%s view %s", label, view)
                .isEmpty();
    }

    private static void assertBadRequest(TestServer.Response r, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.raw()).contains(field);
    }
}

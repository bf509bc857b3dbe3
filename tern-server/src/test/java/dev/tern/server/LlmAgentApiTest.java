package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineConfig;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.testkit.model.FakeOpenAi;
import dev.tern.testkit.model.FakeReply;
import dev.tern.testkit.model.FakeReply.ToolCall;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo {@code assistant} agent over Tern's real HTTP API, its model a local OpenAI-protocol server on port 0 spoken
 * to by LangChain4j's own client: a turn with a tool call, metrics and cost, bad tool arguments and a failing tool sent
 * back to the model, budgets that stop a call or ask a human, and a node with no model.
 */
class LlmAgentApiTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    /** USD per million tokens configured for the test model: 10 input + 5 output tokens cost 10*2 + 5*4 = 40 µUSD. */
    static final double PRICE_IN = 2.0;

    static final double PRICE_OUT = 4.0;

    @TempDir
    Path dir;

    FakeOpenAi model;
    TestServer server;

    @BeforeEach
    void start() {
        model = FakeOpenAi.start();
        server = TestServer.start(
                EngineConfig.embedded(dir)
                        .withFsync(false)
                        .withModel(
                                new ModelEndpoint(model.baseUrl(), "sk-test-secret", "gpt-test", PRICE_IN, PRICE_OUT)),
                null,
                10L << 20);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (model != null) model.close();
    }

    String startAssistant(String extraBody) {
        TestServer.Response r = server.post("/api/agents/assistant", "{\"input\": {}" + extraBody + "}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().get("runId").asText();
    }

    void say(String runId, String text) {
        TestServer.Response r = server.put(
                "/api/agents/assistant/" + runId,
                "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": [{\"role\": \"user\", \"content\": \""
                        + text + "\"}]}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    JsonNode run(String runId) {
        return server.get("/v1/runs/" + runId).body();
    }

    /** Waits until the run's steps include a completed step named {@code name} {@code count} times. */
    JsonNode awaitSteps(String runId, String name, int count) {
        await().atMost(WAIT).until(() -> stepsNamed(run(runId), name).size() >= count);
        return run(runId);
    }

    static List<JsonNode> stepsNamed(JsonNode run, String name) {
        return StreamSupport.stream(run.path("steps").spliterator(), false)
                .filter(s -> s.path("name").asText().equals(name)
                        && s.path("status").asText().equals("completed"))
                .toList();
    }

    static List<String> types(JsonNode run) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : run.path("steps"))
            if (!s.path("kind").asText().equals("event"))
                out.add(s.path("name").asText() + ":" + s.path("type").asText());
        return out;
    }

    @Test
    void aTurnWithAToolCallEndToEnd() throws Exception {
        model.enqueue(
                FakeReply.toolCalls(new ToolCall("call_1", "calculate", "{\"expression\": \"6*7\"}"))
                        .withUsage(10, 5),
                FakeReply.text("6 times 7 is 42.").withUsage(30, 8));
        String runId = startAssistant("");
        say(runId, "What is 6 times 7?");
        JsonNode run = awaitSteps(runId, "reply", 1);

        assertThat(types(run))
                .containsExactly(
                        "model:decision",
                        "calculate:tool_call",
                        "calculate.result:tool_result",
                        "model:thought",
                        "reply:message");
        JsonNode toolCall = stepsNamed(run, "calculate").get(0);
        assertThat(toolCall.path("input").path("arguments").asText()).contains("6*7");
        assertThat(toolCall.path("output").path("result").path("result").asText())
                .isEqualTo("42");

        // the model got the tool's result back, answering its call id, and the tools were offered with their schemas
        List<JsonNode> requests = model.requests();
        assertThat(requests).hasSize(2);
        JsonNode offered = requests.get(0).path("tools");
        assertThat(offered.findValuesAsText("name")).contains("calculate", "current_time");
        JsonNode calculate = StreamSupport.stream(offered.spliterator(), false)
                .filter(t -> t.path("function").path("name").asText().equals("calculate"))
                .findFirst()
                .orElseThrow();
        assertThat(calculate
                        .path("function")
                        .path("parameters")
                        .path("required")
                        .toString())
                .contains("expression");
        JsonNode toolMessage = StreamSupport.stream(
                        requests.get(1).path("messages").spliterator(), false)
                .filter(m -> m.path("role").asText().equals("tool"))
                .findFirst()
                .orElseThrow();
        assertThat(toolMessage.path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(toolMessage.path("content").asText()).contains("42");
        assertThat(model.authorizations()).allMatch(a -> a.equals("Bearer sk-test-secret"));

        // metrics add up exactly what the steps report, on every view
        double cost = (10 * PRICE_IN + 5 * PRICE_OUT + 30 * PRICE_IN + 8 * PRICE_OUT) / 1e6;
        assertThat(run.path("metrics").path("input_tokens").asLong()).isEqualTo(40);
        assertThat(run.path("metrics").path("output_tokens").asLong()).isEqualTo(13);
        assertThat(run.path("metrics").path("tool_call_count").asInt()).isEqualTo(1);
        assertThat(run.path("metrics").path("cost_usd").asDouble())
                .isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-12));
        JsonNode agentRun = server.get("/v1/runs/" + runId + "?view=agent-run").body();
        assertThat(SpecSchemas.errors(SpecSchemas.file("agent-run.schema.json"), agentRun))
                .isEmpty();
        assertThat(agentRun.path("metrics")).isEqualTo(run.path("metrics"));
        long toolCallSteps = StreamSupport.stream(agentRun.path("steps").spliterator(), false)
                .filter(s -> s.path("type").asText().equals("tool_call"))
                .count();
        assertThat(toolCallSteps).isEqualTo(1);

        // the key is never shown
        assertThat(server.get("/v1/runs/" + runId + "?view=resource").raw()).doesNotContain("sk-test-secret");
        assertThat(run.toString()).doesNotContain("sk-test-secret");

        server.put("/api/agents/assistant/" + runId, "{\"eventName\": \"end\"}");
        JsonNode done = server.awaitRun(runId, WAIT);
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("output").path("messages").findValuesAsText("content"))
                .containsExactly("What is 6 times 7?", "6 times 7 is 42.");
    }

    @Test
    void tokensStreamWhileTheModelWritesAndOnlyTheWholeReplyIsCheckpointed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        model.enqueue(FakeReply.text("The answer is forty two").holdAfterChunks(2, release));
        String runId = startAssistant("");
        HttpClient http = HttpClient.newHttpClient();
        String url = server.baseUrl() + "/v1/runs/" + runId + "/stream";
        try (SseClient early = SseClient.open(http, url, null)) {
            say(runId, "What is the answer?");
            model.awaitRequests(1, WAIT);
            // the first two tokens arrive while the model step is still open
            List<SseClient.Message> seen = new ArrayList<>();
            while (seen.stream().filter(m -> "token".equals(m.event())).count() < 2) seen.add(early.nextEvent(WAIT));
            assertThat(seen)
                    .noneMatch(
                            m -> "step_completed".equals(m.event()) && m.data().contains("\"model\""));
            List<SseClient.Message> tokens =
                    seen.stream().filter(m -> "token".equals(m.event())).toList();
            assertThat(tokens).allMatch(m -> m.id() == null);
            JsonNode first =
                    dev.tern.engine.internal.json.Json.parse(tokens.get(0).data());
            int modelSeq = first.path("stepSeq").asInt();
            assertThat(first.path("text").asText()
                            + dev.tern.engine.internal.json.Json.parse(
                                            tokens.get(1).data())
                                    .path("text")
                                    .asText())
                    .isEqualTo("The answer ");

            // a client connecting mid-call gets the history, then the rest of the tokens
            try (SseClient late = SseClient.open(http, url, null)) {
                assertThat(late.nextEvent(WAIT).id())
                        .isNotNull(); // its history has begun: it watches the run's tokens now
                release.countDown();
                StringBuilder rest = new StringBuilder();
                SseClient.Message m;
                boolean sawStepEnd = false;
                while (!sawStepEnd) {
                    m = late.nextEvent(WAIT);
                    if ("token".equals(m.event())) {
                        assertThat(sawStepEnd).isFalse();
                        rest.append(dev.tern.engine.internal.json.Json.parse(m.data())
                                .path("text")
                                .asText());
                    }
                    if ("step_completed".equals(m.event())
                            && dev.tern.engine.internal.json.Json.parse(m.data())
                                            .path("stepSeq")
                                            .asInt()
                                    == modelSeq) {
                        sawStepEnd = true;
                    }
                }
                assertThat(rest.toString()).isEqualTo("is forty two");
            }
            // the early client saw every token before the step's checkpoint
            StringBuilder all = new StringBuilder();
            for (SseClient.Message t : tokens)
                all.append(dev.tern.engine.internal.json.Json.parse(t.data())
                        .path("text")
                        .asText());
            while (true) {
                SseClient.Message m = early.nextEvent(WAIT);
                if ("token".equals(m.event()))
                    all.append(dev.tern.engine.internal.json.Json.parse(m.data())
                            .path("text")
                            .asText());
                if ("step_completed".equals(m.event())
                        && dev.tern.engine.internal.json.Json.parse(m.data())
                                        .path("stepSeq")
                                        .asInt()
                                == modelSeq) break;
            }
            assertThat(all.toString()).isEqualTo("The answer is forty two");
        }
        JsonNode run = awaitSteps(runId, "reply", 1);
        assertThat(stepsNamed(run, "model").get(0).path("output").path("text").asText())
                .isEqualTo("The answer is forty two");
        assertThat(model.requestCount()).isEqualTo(1);
    }

    @Test
    void badArgumentsAnUnknownToolAndAFailingToolGoBackToTheModel() {
        model.enqueue(
                FakeReply.toolCalls(
                        new ToolCall("c1", "calculate", "{\"expr\": \"1+1\"}"),
                        new ToolCall("c2", "calculate", "{\"expression\": \"1/0\"}"),
                        new ToolCall("c3", "launch_rocket", "{}"),
                        new ToolCall("c4", "calculate", "not json")),
                FakeReply.text("Sorry, I could not compute that."));
        String runId = startAssistant("");
        say(runId, "Divide one by zero");
        JsonNode run = awaitSteps(runId, "reply", 1);
        assertThat(run.path("status").asText()).isEqualTo("running");

        List<String> toolAnswers = StreamSupport.stream(
                        model.requests().get(1).path("messages").spliterator(), false)
                .filter(m -> m.path("role").asText().equals("tool"))
                .map(m -> m.path("tool_call_id").asText() + " "
                        + m.path("content").asText())
                .toList();
        assertThat(toolAnswers).hasSize(4);
        assertThat(toolAnswers.get(0))
                .startsWith("c1 ")
                .contains("invalid arguments")
                .contains("expression");
        assertThat(toolAnswers.get(1))
                .startsWith("c2 ")
                .contains("division by zero")
                .doesNotContain("Exception");
        assertThat(toolAnswers.get(2))
                .startsWith("c3 ")
                .contains("unknown tool 'launch_rocket'")
                .contains("calculate");
        assertThat(toolAnswers.get(3)).startsWith("c4 ").contains("not JSON");
        assertThat(run.path("metrics").path("tool_call_count").asInt()).isEqualTo(4);
    }

    @Test
    void aBudgetStopsTheSecondModelCall() throws Exception {
        model.enqueue(
                FakeReply.toolCalls(new ToolCall("c1", "calculate", "{\"expression\": \"2+2\"}"))
                        .withUsage(10, 5),
                FakeReply.text("4"));
        String runId = startAssistant(", \"maxTokens\": 15");
        say(runId, "2+2?");
        JsonNode run = server.awaitRun(runId, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("error").path("type").asText()).isEqualTo("BudgetExceeded");
        assertThat(run.path("error").path("message").asText())
                .contains("15 tokens")
                .contains("of a budget of 15 tokens");
        assertThat(model.requestCount()).isEqualTo(1);
        assertThat(run.path("budget").path("maxTokens").asLong()).isEqualTo(15);
        assertThat(run.path("budget").path("spentTokens").asLong()).isEqualTo(15);
        assertThat(run.path("budget").path("exhausted").asBoolean()).isTrue();
        JsonNode restack = server.get("/api/agents/assistant/" + runId).body();
        assertThat(restack.path("error").asText()).contains("BudgetExceeded");
    }

    @Test
    void askRaisesTheBudgetWhenAHumanApproves() throws Exception {
        model.enqueue(
                FakeReply.toolCalls(new ToolCall("c1", "calculate", "{\"expression\": \"2+2\"}"))
                        .withUsage(100, 50),
                FakeReply.text("It is 4.").withUsage(100, 50));
        double cap = 150 * 0 + (100 * PRICE_IN + 50 * PRICE_OUT) / 1e6; // exactly one call's cost
        String runId = startAssistant(", \"maxCostUsd\": " + cap + ", \"onBudgetExceeded\": \"ask\"");
        say(runId, "2+2?");
        await().atMost(WAIT).until(() -> run(runId).path("status").asText().equals("awaiting-human"));
        JsonNode waiting = run(runId);
        assertThat(waiting.path("blockedReason").asText()).isEqualTo("awaiting_human_input");
        assertThat(model.requestCount()).isEqualTo(1);
        JsonNode question = server.get("/v1/runs/" + runId + "/interactions")
                .body()
                .path("interactions")
                .get(0);
        assertThat(question.path("prompt").asText()).contains("of a budget of $");
        TestServer.Response answer = server.post(
                "/v1/runs/" + runId + "/interactions/"
                        + question.path("interactionId").asText(),
                "{\"answer\": {\"approved\": true, \"additionalUsd\": 0.01}}");
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        JsonNode run = awaitSteps(runId, "reply", 1);
        assertThat(model.requestCount()).isEqualTo(2);
        assertThat(run.path("status").asText()).isEqualTo("running");
        assertThat(run.path("budget").path("maxCostUsd").asDouble())
                .isCloseTo(cap + 0.01, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(run.path("budget").path("onExceeded").asText()).isEqualTo("ask");
    }

    @Test
    void aRefusedRaiseFailsTheRun() throws Exception {
        model.enqueue(FakeReply.toolCalls(new ToolCall("c1", "calculate", "{\"expression\": \"2+2\"}"))
                .withUsage(10, 5));
        String runId = startAssistant(", \"maxTokens\": 10, \"onBudgetExceeded\": \"ask\"");
        say(runId, "2+2?");
        await().atMost(WAIT).until(() -> run(runId).path("status").asText().equals("awaiting-human"));
        JsonNode question = server.get("/v1/runs/" + runId + "/interactions")
                .body()
                .path("interactions")
                .get(0);
        server.post(
                "/v1/runs/" + runId + "/interactions/"
                        + question.path("interactionId").asText(),
                "{\"answer\": {\"approved\": false}}");
        JsonNode run = server.awaitRun(runId, WAIT);
        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("error").path("type").asText()).isEqualTo("BudgetExceeded");
        assertThat(model.requestCount()).isEqualTo(1);
    }

    @Test
    void withNoModelConfiguredSchedulingTheAssistantIsAClearProblem() throws Exception {
        try (TestServer bare =
                TestServer.start(EngineConfig.embedded(dir.resolve("bare")).withFsync(false), null, 10L << 20)) {
            for (TestServer.Response r : List.of(
                    bare.post("/api/agents/assistant", "{\"input\": {}}"),
                    bare.post("/v1/runs", "{\"name\": \"assistant\", \"input\": {}}"))) {
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.contentType()).startsWith("application/problem+json");
                assertThat(r.body().path("type").asText()).endsWith("model-not-configured");
                assertThat(r.body().path("detail").asText())
                        .contains("OPENAI_API_KEY")
                        .contains("OPENAI_BASE_URL");
            }
            assertThat(bare.get("/v1/runs?name=assistant").body().path("runs")).isEmpty();
            // other definitions are unaffected
            assertThat(bare.post("/api/workflows/hello", "{\"input\": {\"name\": \"Ada\"}}")
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void plainFunctionStepsAreNotToolCalls() {
        String runId = server.post("/api/agents/chat", "{\"input\": {}}")
                .body()
                .get("runId")
                .asText();
        server.put(
                "/api/agents/chat/" + runId,
                "{\"eventName\": \"messages\", \"eventInput\": {\"messages\": [{\"role\": \"user\", \"content\": "
                        + "\"hi\"}]}}");
        JsonNode run = awaitSteps(runId, "chatReply", 1);
        assertThat(run.path("metrics").path("tool_call_count").asInt()).isZero();
        JsonNode agentRun = server.get("/v1/runs/" + runId + "?view=agent-run").body();
        assertThat(agentRun.path("steps").findValuesAsText("type")).doesNotContain("tool_call");
        assertThat(agentRun.path("metrics").path("tool_call_count").asInt()).isZero();
    }

    @Test
    void badBudgetsAreRefusedNamingTheField() {
        TestServer.Response r = server.post("/api/agents/assistant", "{\"input\": {}, \"maxCostUsd\": -1}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.raw()).contains("maxCostUsd");
        r = server.post("/v1/runs", "{\"name\": \"assistant\", \"input\": {}, \"maxTokens\": 1.5}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.raw()).contains("maxTokens");
        r = server.post(
                "/v1/runs",
                "{\"name\": \"assistant\", \"input\": {}, \"maxTokens\": 10, \"onBudgetExceeded\": \"maybe\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.raw()).contains("onBudgetExceeded");
        r = server.post("/v1/runs", "{\"name\": \"assistant\", \"input\": {}, \"onBudgetExceeded\": \"ask\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.raw()).contains("onBudgetExceeded");
    }
}

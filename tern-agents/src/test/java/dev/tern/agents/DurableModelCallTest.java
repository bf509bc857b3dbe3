package dev.tern.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.StepRecord;
import dev.tern.engine.TernEngine;
import dev.tern.sdk.Budget;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.sdk.NonRetryableException;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.WorkflowDefinition;
import dev.tern.testkit.model.FakeOpenAi;
import dev.tern.testkit.model.FakeReply;
import dev.tern.testkit.model.FakeReply.ToolCall;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model calls and tools as durable steps in an embedded engine, against a local OpenAI-protocol server. */
class DurableModelCallTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    public record Question(String text) {}

    public record Answer(String text) {}

    public record Order(String item) {}

    static final AtomicInteger LAUNCHES = new AtomicInteger();

    static final AgentTool LAUNCH = AgentTool.of("launch", "Launches a rocket.", Order.class, o -> {
        LAUNCHES.incrementAndGet();
        throw new NonRetryableException("launches are forbidden today");
    });

    /** Tools written the LangChain4j way. */
    public static final class Weather {
        final AtomicInteger calls = new AtomicInteger();

        @Tool("The weather in a city")
        public String weather(@P("the city") String city) {
            calls.incrementAndGet();
            return "sunny in " + city;
        }
    }

    static final Weather WEATHER = new Weather();

    static Llm llm() {
        return Llm.builder()
                .retry(RetryPolicy.defaults()
                        .withInitialInterval(Duration.ofMillis(10))
                        .withMaxInterval(Duration.ofMillis(50)))
                .build();
    }

    static final WorkflowDefinition<Question, Answer> ASK = WorkflowDefinition.of(
                    "ask", Question.class, Answer.class, (ctx, q) -> {
                        var reply = LlmAgent.builder()
                                .llm(llm())
                                .tools(AgentTool.fromAnnotated(WEATHER))
                                .tools(LAUNCH)
                                .build()
                                .respond(ctx, List.of(ChatEntry.user(q.text())));
                        ctx.sleep(Duration.ofMillis(
                                600)); // longer than the grace: the run suspends and resumes by replay
                        return new Answer(reply.text());
                    })
            .withModelRequired();

    static final WorkflowDefinition<Question, Answer> CAPPED = WorkflowDefinition.of(
                    "capped", Question.class, Answer.class, (ctx, q) -> {
                        var agent = LlmAgent.builder().llm(llm()).build();
                        agent.respond(ctx, List.of(ChatEntry.user(q.text())));
                        return new Answer(agent.respond(ctx, List.of(ChatEntry.user("again")))
                                .text());
                    })
            .withBudget(Budget.ofTokens(10))
            .withModelRequired();

    @TempDir
    Path dir;

    FakeOpenAi model;
    TernEngine engine;

    @BeforeEach
    void start() {
        model = FakeOpenAi.start();
        engine = TernEngine.start(
                EngineConfig.embedded(dir)
                        .withFsync(false)
                        .withSuspendGrace(Duration.ofMillis(200))
                        .withPollInterval(Duration.ofMillis(50))
                        .withModel(new ModelEndpoint(model.baseUrl(), null, "gpt-4o-mini", null, null)),
                Definitions.builder().workflow(ASK).workflow(CAPPED).build());
    }

    @AfterEach
    void stop() {
        engine.close();
        model.close();
    }

    RunRecord finish(String runId) throws InterruptedException {
        return engine.awaitCompletion(runId, WAIT);
    }

    @Test
    void aReplayedRunDoesNotCallTheModelOrTheToolAgain() throws Exception {
        model.enqueue(
                FakeReply.toolCalls(new ToolCall("w1", "weather", "{\"city\": \"Paris\"}"))
                        .withUsage(1000, 100),
                FakeReply.text("It is sunny in Paris.").withUsage(2000, 50));
        int before = WEATHER.calls.get();
        RunRecord run = finish(engine.start("ask", new Question("Weather in Paris?")));
        assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.output().path("text").asText()).isEqualTo("It is sunny in Paris.");
        assertThat(model.requestCount()).isEqualTo(2);
        assertThat(WEATHER.calls.get() - before).isEqualTo(1);
        List<StepRecord> steps = engine.steps(run.id());
        StepRecord first =
                steps.stream().filter(s -> s.name().equals("model")).findFirst().orElseThrow();
        assertThat(first.type()).isEqualTo("decision");
        // built-in prices: gpt-4o-mini at $0.15 / $0.60 per million tokens
        assertThat(first.usage().costUsd())
                .isCloseTo((1000 * 0.15 + 100 * 0.60) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(engine.history(run.id(), 0, 1000))
                .anyMatch(e -> e.type().wireName().equals("run_suspended"));
    }

    @Test
    void aToolThatThrowsNonRetryableFailsTheRun() throws Exception {
        model.enqueue(FakeReply.toolCalls(new ToolCall("l1", "launch", "{\"item\": \"rocket\"}")));
        int before = LAUNCHES.get();
        RunRecord run = finish(engine.start("ask", new Question("Launch it")));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error().type()).isEqualTo("ToolFailed");
        assertThat(run.error().message()).contains("launches are forbidden today");
        assertThat(LAUNCHES.get() - before).isEqualTo(1);
    }

    @Test
    void aTransientModelErrorIsRetriedAsTheStepsNextAttempt() throws Exception {
        model.enqueue(FakeReply.error(500, "overloaded"), FakeReply.text("fine"));
        RunRecord run = finish(engine.start("ask", new Question("hi")));
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        StepRecord call = engine.steps(run.id()).stream()
                .filter(s -> s.name().equals("model"))
                .findFirst()
                .orElseThrow();
        assertThat(call.attempts()).isEqualTo(2);
        assertThat(engine.history(run.id(), 0, 1000)).anySatisfy(e -> {
            assertThat(e.type().wireName()).isEqualTo("step_retrying");
            assertThat(e.data().path("error").path("type").asText()).isEqualTo("ModelServerError");
            assertThat(e.data().path("error").path("message").asText()).isEqualTo("overloaded");
        });
        assertThat(call.type()).isEqualTo("thought");
    }

    @Test
    void aRefusedRequestIsNotRetried() throws Exception {
        model.enqueue(FakeReply.error(401, "bad key"));
        RunRecord run = finish(engine.start("ask", new Question("hi")));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(model.requestCount()).isEqualTo(1);
        assertThat(run.error().message())
                .contains("bad key")
                .doesNotContain("{")
                .doesNotContain("langchain4j");
        assertThat(run.error().type()).isEqualTo("ModelAuthentication");
        assertThat(run.error().errorId()).isNotBlank();
    }

    @Test
    void theDefinitionsBudgetStopsTheNextCall() throws Exception {
        model.enqueue(FakeReply.text("one").withUsage(8, 4), FakeReply.text("two"));
        RunRecord run = finish(engine.start("capped", new Question("hi")));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error().type()).isEqualTo("BudgetExceeded");
        assertThat(run.budget()).isEqualTo(Budget.ofTokens(10));
        assertThat(model.requestCount()).isEqualTo(1);
    }
}

package dev.tern.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.RunRecord;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import dev.tern.testkit.TernTestEnvironment;
import dev.tern.testkit.model.FakeOpenAi;
import dev.tern.testkit.model.FakeReply;
import dev.tern.testkit.model.FakeReply.ToolCall;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a user tests an LLM agent: the test kit's environment with its fake model hook, a scripted local OpenAI-protocol
 * server; a tool call, a reply, and a day-long wait skipped in virtual time.
 */
class TestKitModelHookTest {
    public record Question(String text) {}

    public record Answer(String text) {}

    public record Sum(int a, int b) {}

    static final AgentTool ADD = AgentTool.of("add", "Adds two numbers.", Sum.class, s -> s.a() + s.b());

    static final WorkflowDefinition<Question, Answer> ASK = WorkflowDefinition.of(
                    "ask", Question.class, Answer.class, (ctx, q) -> {
                        var reply =
                                LlmAgent.builder().tools(ADD).build().respond(ctx, List.of(ChatEntry.user(q.text())));
                        ctx.sleep(Duration.ofDays(1)); // e.g. wait a day before following up
                        return new Answer(reply.text());
                    })
            .withModelRequired();

    @Test
    void anAgentTestWithAScriptedModel() {
        try (FakeOpenAi model = FakeOpenAi.start();
                TernTestEnvironment env = TernTestEnvironment.builder(
                                Definitions.builder().workflow(ASK).build())
                        .model(model.endpoint())
                        .start()) {
            model.enqueue(
                    FakeReply.toolCalls(new ToolCall("call_1", "add", "{\"a\": 2, \"b\": 3}")),
                    FakeReply.text("It is 5."));
            String runId = env.start("ask", new Question("What is 2 + 3?"));
            assertThat(env.result(runId, Answer.class).text()).isEqualTo("It is 5.");
            assertThat(model.requestCount()).isEqualTo(2);
            assertThat(model.requests().get(1).toString()).contains("call_1").contains("5");
            RunRecord run = env.run(runId);
            assertThat(env.steps(runId))
                    .extracting(s -> s.type())
                    .contains("decision", "tool_call", "tool_result", "thought");
            assertThat(run.completedAt()).isAfterOrEqualTo(run.createdAt().plus(Duration.ofDays(1)));
        }
    }
}

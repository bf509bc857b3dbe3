package dev.tern.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.agents.AgentTool;
import dev.tern.agents.ChatEntry;
import dev.tern.agents.LlmAgent;
import dev.tern.agents.mcp.McpServerConfig;
import dev.tern.agents.mcp.McpServers;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.StepRecord;
import dev.tern.engine.TernEngine;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import dev.tern.testkit.model.FakeOpenAi;
import dev.tern.testkit.model.FakeReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An LLM agent given an MCP server's tools: the model's call is a durable tool_call step through the MCP client. */
class McpAgentToolsTest {
    public record Question(String text) {}

    public record Answer(String text) {}

    @TempDir
    Path dir;

    @Test
    void theModelCallsAnMcpToolAsADurableStep() throws Exception {
        try (TestMcpServer tools = TestMcpServer.start();
                FakeOpenAi model = FakeOpenAi.start();
                McpServers servers = new McpServers(List.of(McpServerConfig.parse("calc=" + tools.url())))) {
            LlmAgent loop = LlmAgent.builder()
                    .system("Use the tools.")
                    .tools(AgentTool.fromMcp(servers, "calc"))
                    .build();
            WorkflowDefinition<Question, Answer> ask = WorkflowDefinition.of(
                    "ask",
                    Question.class,
                    Answer.class,
                    (ctx, q) -> new Answer(
                            loop.respond(ctx, List.of(ChatEntry.user(q.text()))).text()));
            model.enqueue(
                    FakeReply.toolCalls(new FakeReply.ToolCall("call_1", "add", "{\"a\": 2, \"b\": 3}")),
                    FakeReply.text("It is 5."));
            try (TernEngine engine = TernEngine.start(
                    EngineConfig.embedded(dir).withFsync(false).withModel(model.endpoint()),
                    Definitions.builder().workflow(ask).build(),
                    servers.functions())) {
                String runId = engine.start("ask", new Question("What is 2 + 3?"));
                RunRecord run = engine.awaitCompletion(runId, Duration.ofSeconds(30));
                assertThat(run.status()).as(String.valueOf(run.error())).isEqualTo(RunStatus.COMPLETED);
                assertThat(run.output().path("text").asText()).isEqualTo("It is 5.");
                StepRecord call = engine.steps(runId).stream()
                        .filter(s -> "tool_call".equals(s.type()))
                        .findFirst()
                        .orElseThrow();
                assertThat(call.name()).isEqualTo("add");
                assertThat(call.output().toString()).contains("5.0");
                assertThat(model.requests().get(1).toString()).contains("sum");
            }
        }
    }
}

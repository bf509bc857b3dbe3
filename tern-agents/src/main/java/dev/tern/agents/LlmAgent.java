package dev.tern.agents;

import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.StepType;
import dev.tern.sdk.WorkflowContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The agent loop: model, tools, model… until the model answers without asking for a tool, at most {@code maxTurns}
 * model calls. Every piece is a durable step (the model call, each tool call and its result, the final
 * {@code message}), so a crash resumes the loop where it stopped without calling the model or a tool again. The run's
 * budget is checked before each model call. Use it from a workflow or from an agent's event handler:
 *
 * <pre>{@code
 * LlmAgent assistant = LlmAgent.builder().system("You are terse.").tools(CALCULATE).build();
 * AgentReply reply = assistant.respond(ctx, conversation);
 * }</pre>
 */
public final class LlmAgent {
    /** Step name of the final answer (a {@code message} step). */
    public static final String REPLY_STEP = "reply";

    private final Llm llm;
    private final String system;
    private final ToolRunner tools;
    private final int maxTurns;

    private LlmAgent(Builder b) {
        this.llm = b.llm;
        this.system = b.system;
        this.tools = new ToolRunner(b.tools);
        this.maxTurns = b.maxTurns;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The answer of one turn: the final text, and every message the turn added (tool calls and results, then the
     * answer).
     */
    public record AgentReply(String text, List<ChatEntry> added, int modelCalls) {}

    /** The loop ended with the model still asking for tools after {@code maxTurns} calls. */
    public static final class MaxTurnsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MaxTurnsException(int maxTurns) {
            super("the model still asked for tools after " + maxTurns + " calls; no answer was given");
        }
    }

    /** Answers the last message of {@code conversation} (the system prompt is added in front). */
    public AgentReply respond(WorkflowContext ctx, List<ChatEntry> conversation) {
        List<ChatEntry> messages = new ArrayList<>();
        if (system != null) messages.add(ChatEntry.system(system));
        messages.addAll(conversation);
        List<ChatEntry> added = new ArrayList<>();
        for (int turn = 1; turn <= maxTurns; turn++) {
            BudgetGate.check(ctx);
            ModelReply reply = llm.call(ctx, messages, tools.tools());
            ChatEntry said = ChatEntry.assistant(reply);
            messages.add(said);
            if (!reply.hasToolCalls()) {
                String text = reply.text() == null ? "" : reply.text();
                ctx.step(
                        REPLY_STEP,
                        StepOptions.of(StepType.MESSAGE).withRetry(RetryPolicy.none()),
                        String.class,
                        () -> text);
                added.add(ChatEntry.assistant(text));
                return new AgentReply(text, List.copyOf(added), turn);
            }
            added.add(said);
            for (ToolCall call : reply.toolCalls()) {
                ChatEntry result =
                        ChatEntry.toolResult(call, tools.run(ctx, call).text());
                messages.add(result);
                added.add(result);
            }
        }
        throw new MaxTurnsException(maxTurns);
    }

    /** How the loop is set up. */
    public static final class Builder {
        private Llm llm = Llm.configured();
        private String system;
        private final List<AgentTool> tools = new ArrayList<>();
        private int maxTurns = 10;

        private Builder() {}

        /** The model calls to make (default: the node's configured model). */
        public Builder llm(Llm value) {
            this.llm = Objects.requireNonNull(value, "llm");
            return this;
        }

        /** The system prompt put in front of every conversation. */
        public Builder system(String value) {
            this.system = value;
            return this;
        }

        public Builder tools(AgentTool... values) {
            return tools(List.of(values));
        }

        public Builder tools(List<AgentTool> values) {
            tools.addAll(values);
            return this;
        }

        /** Most model calls in one turn (default 10). */
        public Builder maxTurns(int value) {
            if (value < 1) throw new IllegalArgumentException("maxTurns must be >= 1, was " + value);
            this.maxTurns = value;
            return this;
        }

        public LlmAgent build() {
            return new LlmAgent(this);
        }
    }
}

package dev.tern.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.agents.internal.AgentJson;
import dev.tern.sdk.FunctionDefinition;
import dev.tern.sdk.GenAiOperation;
import dev.tern.sdk.NonRetryableException;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.RunFailedException;
import dev.tern.sdk.StepFailedException;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.StepScope;
import dev.tern.sdk.StepType;
import dev.tern.sdk.WorkflowContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the tool calls a model asked for, each as a {@code tool_call} step (retried by the tool's policy) followed by a
 * {@code tool_result} step recording what goes back to the model. Arguments that break the schema, an unknown tool, or
 * a tool that fails for good become an error result the model can act on; a tool that throws
 * {@link NonRetryableException} fails the run.
 */
final class ToolRunner {
    static final String TOOL_FAILED = "ToolFailed";
    static final String REFUSED = "ToolRefused";
    private static final String UNKNOWN_TOOL_STEP = "unknown-tool";

    /** A tool's {@link NonRetryableException}, marked so the loop can tell it from a tool that merely failed. */
    static final class ToolRefusedException extends NonRetryableException {
        private static final long serialVersionUID = 1L;

        ToolRefusedException(String message, Throwable cause) {
            super(REFUSED, message, cause);
        }
    }

    private final Map<String, AgentTool> tools = new LinkedHashMap<>();

    ToolRunner(List<AgentTool> tools) {
        for (AgentTool t : tools) {
            if (this.tools.putIfAbsent(t.name(), t) != null)
                throw new IllegalArgumentException("two tools are named '" + t.name() + "'");
        }
    }

    List<AgentTool> tools() {
        return List.copyOf(tools.values());
    }

    /** Runs one call durably and returns what the model is told. */
    ToolOutcome run(WorkflowContext ctx, ToolCall call) {
        AgentTool tool = tools.get(call.name());
        String stepName = tool == null ? UNKNOWN_TOOL_STEP : tool.name();
        StepOptions options =
                tool == null ? StepOptions.of(StepType.TOOL_CALL).withRetry(RetryPolicy.none()) : tool.options();
        FunctionDefinition<ToolCall, ToolOutcome> step = FunctionDefinition.of(
                        stepName, ToolCall.class, ToolOutcome.class, c -> execute(tool, c))
                .withOptions(options);
        ToolOutcome outcome;
        try {
            outcome = ctx.call(step, call);
        } catch (StepFailedException e) {
            if (REFUSED.equals(e.errorType())) {
                throw new RunFailedException(
                        TOOL_FAILED, "tool '" + stepName + "' failed and may not be retried: " + e.errorMessage());
            }
            outcome = new ToolOutcome(
                    call.id(),
                    call.name(),
                    null,
                    "the tool failed after " + e.attempts() + " attempt(s): " + e.errorMessage());
        }
        ToolOutcome result = outcome;
        return ctx.step(
                stepName + ".result",
                StepOptions.of(StepType.TOOL_RESULT).withRetry(RetryPolicy.none()),
                ToolOutcome.class,
                () -> result);
    }

    private ToolOutcome execute(AgentTool tool, ToolCall call) throws Exception {
        StepScope scope = StepScope.current();
        if (scope != null) scope.report(new GenAiOperation.ToolExecution(call.name(), call.id()));
        if (tool == null) {
            return new ToolOutcome(
                    call.id(),
                    call.name(),
                    null,
                    "unknown tool '" + call.name() + "'; the tools are: " + String.join(", ", tools.keySet()));
        }
        try {
            Object value = tool.invoke(call.arguments());
            JsonNode result = value instanceof JsonNode n ? n : AgentJson.MAPPER.valueToTree(value);
            return new ToolOutcome(call.id(), call.name(), result, null);
        } catch (AgentTool.InvalidArgumentsException e) {
            return new ToolOutcome(call.id(), call.name(), null, e.getMessage());
        } catch (NonRetryableException e) {
            throw new ToolRefusedException(e.getMessage(), e);
        }
    }
}

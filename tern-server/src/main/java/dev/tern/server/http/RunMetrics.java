package dev.tern.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.StepRecord;
import dev.tern.sdk.StepType;
import java.util.List;

/** A run's totals over its steps: tokens in and out, tool calls, and money spent. */
record RunMetrics(long inputTokens, long outputTokens, int toolCallCount, double costUsd) {

    static RunMetrics of(List<StepRecord> steps) {
        long in = 0;
        long out = 0;
        int tools = 0;
        double cost = 0;
        for (StepRecord s : steps) {
            if (s.usage() != null) {
                in += s.usage().inputTokens();
                out += s.usage().outputTokens();
                cost += s.usage().costUsd();
            }
            if (StepType.TOOL_CALL.wireName().equals(s.type())) tools++;
        }
        return new RunMetrics(in, out, tools, cost);
    }

    /** In the agent-run schema's field names. */
    ObjectNode toJson() {
        return JsonNodeFactory.instance
                .objectNode()
                .put("input_tokens", inputTokens)
                .put("output_tokens", outputTokens)
                .put("tool_call_count", toolCallCount)
                .put("cost_usd", costUsd);
    }
}

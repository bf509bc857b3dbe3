package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.RunRecord;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The run as {@code agent-run.schema.json} describes it: the goal, typed steps, the result and token/cost metrics.
 * Engine step kinds outside that schema's step types are mapped onto them (a tool the model called is a
 * {@code tool_call}; any other function the agent's own {@code thought}; an event a {@code message}, a question to a
 * human or a child run a {@code handoff}, a sleep a {@code decision}); {@code tern_type} keeps the original.
 */
final class AgentRunView {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<StepKind> RECORDED_VALUES =
            Set.of(StepKind.NOW, StepKind.RANDOM, StepKind.UUID, StepKind.PATCH);

    private AgentRunView() {}

    static ObjectNode of(RunRecord run, List<StepRecord> steps, String traceUrl) {
        ObjectNode n = NODES.objectNode();
        n.put("run_id", run.id());
        n.put("agent_id", run.name());
        n.put("framework", "tern");
        n.put("goal", goal(run.input()));
        n.put("status", run.status().wireName());
        if (run.startedAt() != null) n.put("started_at", run.startedAt().toString());
        if (run.status().isTerminal() && run.completedAt() != null)
            n.put("ended_at", run.completedAt().toString());
        ArrayNode list = n.putArray("steps");
        int index = 1;
        for (StepRecord s : steps) {
            if (RECORDED_VALUES.contains(s.kind())) continue;
            ObjectNode step = list.addObject();
            step.put("index", index++);
            step.put("type", schemaType(s));
            step.put("tern_type", s.effectiveType());
            step.put("name", s.name());
            if (s.input() != null) step.set("input", asObject(s.input()));
            if (s.output() != null) step.set("output", asObject(s.output()));
            step.put("started_at", s.startedAt().toString());
            if (s.completedAt() != null)
                step.put(
                        "duration_ms",
                        Duration.between(s.startedAt(), s.completedAt()).toMillis());
        }
        if (run.status().isTerminal()) n.set("result", result(run));
        RunMetrics metrics = RunMetrics.of(steps);
        n.set("metrics", metrics.toJson());
        RunViews.putBudget(n, run, steps, metrics);
        n.put("trace_url", traceUrl);
        return n;
    }

    private static String schemaType(StepRecord s) {
        return switch (s.effectiveType()) {
            case "thought", "tool_call", "tool_result", "message", "handoff", "decision" -> s.effectiveType();
            case "event" -> "message";
            case "human", "child", "parallel" -> "handoff";
            case "sleep" -> "decision";
            default -> "thought";
        };
    }

    private static ObjectNode result(RunRecord run) {
        ObjectNode result = NODES.objectNode();
        JsonNode output = run.output();
        if (output != null
                && output.hasNonNull("summary")
                && output.get("summary").isTextual()) {
            result.put("summary", output.get("summary").asText());
        } else if (run.error() != null) {
            result.put("summary", run.status().wireName() + ": " + run.error().message());
        } else {
            result.put("summary", run.status().wireName());
        }
        if (output != null && !output.isNull()) result.set("output", asObject(output));
        return result;
    }

    /**
     * The natural-language goal: the last user message, a {@code goal} or {@code prompt} field, else the input as JSON.
     */
    static String goal(JsonNode input) {
        if (input == null || input.isNull()) return "";
        JsonNode messages = input.path("messages");
        if (messages.isArray()) {
            for (int i = messages.size() - 1; i >= 0; i--) {
                JsonNode m = messages.get(i);
                if ("user".equals(m.path("role").asText()) && m.path("content").isTextual())
                    return m.get("content").asText();
            }
        }
        for (String field : List.of("goal", "prompt", "question", "message")) {
            if (input.path(field).isTextual()) return input.get(field).asText();
        }
        return input.toString();
    }

    static JsonNode asObject(JsonNode value) {
        return value.isObject() ? value : NODES.objectNode().set("value", value);
    }
}

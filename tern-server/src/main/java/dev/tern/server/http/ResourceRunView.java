package dev.tern.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.agents.mcp.McpServers;
import dev.tern.engine.AttemptRecord;
import dev.tern.engine.InteractionRecord;
import dev.tern.engine.RunDetail;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The run as the agent-service run resource ({@code agent-service-run.schema.json}) describes it. {@code resourceType}
 * is what ran: {@code agent}, {@code workflow} (Tern's own value: the seed leaves the enum open), {@code tool} (one
 * registered function) or {@code mcp_server} (one tool call of an external MCP server); {@code input.mode} is how it
 * was asked: an agent's input becomes the {@code agent} mode's messages (its own {@code messages}, else one user
 * message holding the input as JSON), a workflow's and a tool's is the {@code tool} mode's arguments (with the caller,
 * when recorded, as {@code callerContext}), an MCP call's is the {@code mcp_server} mode: Tern's client info and
 * capabilities, the server and tool in {@code sessionContext}, the arguments in {@code metadata}. Tern has one
 * organisation per server, {@code default}. {@code version} is the run record's own optimistic version (not its event
 * sequence): it moves when the record changes. See docs/design-notes.md.
 */
public final class ResourceRunView {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResourceRunView() {}

    /** What the resource view shows of a run besides its record ({@link #read}). */
    public static final Set<RunDetail.Part> PARTS =
            java.util.Collections.unmodifiableSet(EnumSet.of(RunDetail.Part.ATTEMPTS, RunDetail.Part.INTERACTIONS));

    /** The resource view of a run read with {@link #PARTS}, reading besides only who asked for it (its first event). */
    public static ObjectNode read(TernEngine engine, RunDetail detail) {
        RunRecord run = detail.run();
        JsonNode caller = engine.history(run.id(), 0, 1).stream()
                .findFirst()
                .map(e -> e.data() == null ? null : e.data().get("caller"))
                .orElse(null);
        return RunViews.revisionBlock(engine, run, of(run, detail.attempts(), detail.interactions(), caller));
    }

    static ObjectNode of(
            RunRecord run, List<AttemptRecord> attempts, List<InteractionRecord> interactions, JsonNode caller) {
        ObjectNode n = NODES.objectNode();
        n.put("runId", run.id());
        n.put("orgId", run.orgId());
        n.put("resourceType", run.kind().wireName());
        n.put("resourceId", run.name());
        if (run.links().threadId() != null) n.put("threadId", run.links().threadId());
        if (run.links().parentId() != null) n.put("contextId", run.links().parentId());
        n.put("status", run.status().wireName());
        var release = run.release();
        if (release.revision() != null) n.put("resourceRevisionId", release.revision());
        if (release.channel() != null) n.put("releaseChannelId", release.channel());
        if (release.executionProfile() != null) n.set("executionProfileSnapshot", release.executionProfile());
        if (release.runPolicy() != null) n.set("runPolicySnapshot", release.runPolicy());
        n.set(
                "input",
                switch (run.kind()) {
                    case AGENT -> agentInput(run.input());
                    case MCP_SERVER -> mcpInput(run, caller);
                    default -> toolInput(AgentRunView.asObject(run.input()), caller);
                });
        ArrayNode list = n.putArray("attempts");
        for (AttemptRecord a : attempts) {
            ObjectNode o = list.addObject();
            o.put("attemptId", attemptId(run.id(), a.attempt()));
            o.put("attemptNo", a.attempt());
            o.put("status", attemptStatus(run, a));
            // the node the attempt started on; where it resumed after suspensions is in the native view
            // (attempts[].resumes)
            o.put("runtimeConnectionId", a.nodeId());
            time(o, "startedAt", a.startedAt());
            time(o, "finishedAt", a.endedAt());
            time(o, "lastKeepAliveAt", a.lastKeepAliveAt());
            if ("abandoned".equals(a.outcome()))
                o.put("errorSummary", "node " + a.lastNodeId() + " stopped renewing its lease; the run was taken over");
            else if (a.endedAt() != null && run.error() != null && a.attempt() == run.attempt())
                o.put("errorSummary", run.error().summary());
        }
        if (run.attempt() > 0 && !run.status().isTerminal())
            n.put("currentAttemptId", attemptId(run.id(), run.attempt()));
        var wait = run.waiting();
        if (wait.blockingInteractionId() != null) n.put("blockingInteractionId", wait.blockingInteractionId());
        if (wait.waitingOn() != null) n.put("blockedReason", RunViews.blockedReason(wait));
        time(n, "waitingSince", wait.waitingSince());
        n.put(
                "openInteractionCount",
                interactions.stream().filter(InteractionRecord::isOpen).count());
        time(n, "deadlineAt", run.deadlineAt());
        n.put("eventSequence", run.lastEventSeq());
        n.put("version", run.version());
        if (run.webhookUrl() != null) n.putObject("webhook").put("url", run.webhookUrl());
        time(n, "createdAt", run.createdAt());
        time(n, "updatedAt", run.updatedAt());
        if (run.status().isTerminal()) time(n, "finishedAt", run.completedAt());
        if (run.error() != null) n.put("statusMessage", run.error().summary());
        return n;
    }

    private static ObjectNode agentInput(JsonNode input) {
        ObjectNode out = NODES.objectNode().put("mode", "agent");
        ArrayNode messages = out.putArray("messages");
        JsonNode given = input == null ? null : input.get("messages");
        if (given != null && given.isArray() && given.size() > 0) {
            for (JsonNode m : given) {
                messages.addObject()
                        .put("role", m.path("role").asText("user"))
                        .put(
                                "content",
                                m.path("content").isTextual()
                                        ? m.get("content").asText()
                                        : m.path("content").toString());
            }
        } else if (input != null && !input.isEmpty()) {
            messages.addObject().put("role", "user").put("content", input.toString());
        }
        return out;
    }

    private static ObjectNode toolInput(JsonNode arguments, JsonNode caller) {
        ObjectNode out = NODES.objectNode().put("mode", "tool");
        out.set("arguments", arguments);
        if (caller != null && caller.isObject()) out.set("callerContext", caller);
        return out;
    }

    private static ObjectNode mcpInput(RunRecord run, JsonNode caller) {
        ObjectNode out = NODES.objectNode().put("mode", "mcp_server");
        var info = McpServers.clientInfo();
        out.putObject("clientInfo").put("name", info.name()).put("version", info.version());
        out.putObject("clientCapabilities");
        out.putObject("sessionContext")
                .put("server", run.name())
                .put("tool", run.input() == null ? "" : run.input().path("tool").asText());
        ObjectNode metadata = out.putObject("metadata");
        metadata.set(
                "arguments",
                run.input() == null || !run.input().path("arguments").isObject()
                        ? NODES.objectNode()
                        : run.input().get("arguments"));
        if (caller != null && caller.isObject()) metadata.set("caller", caller);
        return out;
    }

    private static String attemptStatus(RunRecord run, AttemptRecord a) {
        if (a.endedAt() == null)
            return run.status().isTerminal()
                    ? run.status().wireName()
                    : run.status() == RunStatus.QUEUED ? "queued" : "running";
        return switch (a.outcome() == null ? "" : a.outcome()) {
            case "completed", "failed", "cancelled" -> a.outcome();
            default -> "failed";
        };
    }

    private static String attemptId(String runId, int attempt) {
        return "att_" + runId.substring("run_".length()) + "_" + attempt;
    }

    private static void time(ObjectNode node, String field, Instant value) {
        if (value != null) node.put(field, value.toString());
    }
}

package dev.tern.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.agents.mcp.McpJson;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.InvalidInputException;
import dev.tern.engine.RunOptions;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import dev.tern.engine.TernException;
import dev.tern.sdk.RunnableDefinition;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tools/call} of a workflow or an agent: schedules a durable run with the caller recorded. A workflow's call
 * waits for its run (sending progress notifications when the client gave a progress token) up to the configured wait,
 * then answers with the output, the error, or the run id to follow; an agent's call answers at once with its run id,
 * since agents are long-lived.
 */
final class RunCallHandler {
    private static final Logger log = LoggerFactory.getLogger(RunCallHandler.class);
    private static final Duration MAX_QUIET = Duration.ofSeconds(10);

    private final TernEngine engine;
    private final Duration callWait;
    private final RunResources resources;

    RunCallHandler(TernEngine engine, Duration callWait, RunResources resources) {
        this.engine = engine;
        this.callWait = callWait;
        this.resources = resources;
    }

    McpSchema.CallToolResult call(
            McpSyncServerExchange exchange, McpSchema.CallToolRequest request, RunnableDefinition definition) {
        JsonNode arguments = McpJson.MAPPER.valueToTree(request.arguments() == null ? Map.of() : request.arguments());
        RunRecord run;
        dev.tern.server.auth.Caller who = callerOf(exchange);
        try (dev.tern.engine.RequestedBy.Scope scope = dev.tern.engine.RequestedBy.open(who.name())) {
            run = engine.scheduleRun(
                            definition.kind(),
                            definition.name(),
                            arguments,
                            RunOptions.none().withCaller(caller(exchange)).withOrg(who.org()))
                    .run();
        } catch (InvalidInputException e) {
            return error(
                    "invalid arguments for '" + definition.name() + "': "
                            + e.violations().stream()
                                    .map(v -> v.field() + ": " + v.message())
                                    .collect(Collectors.joining("; ")),
                    null);
        } catch (TernException e) {
            return error(e.getMessage(), null);
        } catch (RuntimeException e) {
            String errorId = UUID.randomUUID().toString();
            log.error("MCP call {} of '{}' could not be scheduled", errorId, definition.name(), e);
            return error("the run could not be scheduled; try again (errorId " + errorId + ")", null);
        }
        resources.watch(run.id());
        if (definition.kind() == RunnableDefinition.Kind.AGENT) return started(run);
        try {
            return await(exchange, run.id(), progressToken(request));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return pending(engine.requireRun(run.id()));
        }
    }

    private McpSchema.CallToolResult await(McpSyncServerExchange exchange, String runId, Object token)
            throws InterruptedException {
        long deadline = System.nanoTime() + callWait.toNanos();
        long after = 0;
        while (true) {
            RunRecord run = engine.requireRun(runId);
            if (token != null) {
                for (HistoryEvent e : engine.history(runId, after, 1000)) {
                    after = e.eventSequence();
                    exchange.progressNotification(
                            new McpSchema.ProgressNotification(token, (double) after, null, describe(e)));
                }
            } else {
                after = run.lastEventSeq();
            }
            if (run.status().isTerminal()) return finished(run);
            long left = deadline - System.nanoTime();
            if (left <= 0) return pending(run);
            engine.awaitHistory(runId, after, Duration.ofNanos(Math.min(left, MAX_QUIET.toNanos())));
        }
    }

    private static McpSchema.CallToolResult finished(RunRecord run) {
        if (run.status() != RunStatus.COMPLETED) {
            String why =
                    run.error() == null ? run.status().wireName() : run.error().summary();
            return error("run " + run.id() + " " + run.status().wireName() + ": " + why, run.id());
        }
        JsonNode output = run.output();
        McpSchema.CallToolResult.Builder b = McpSchema.CallToolResult.builder().meta(Map.of("tern/runId", run.id()));
        if (output != null && output.isObject()) b.structuredContent(McpJson.MAPPER.convertValue(output, Map.class));
        return b.addTextContent(output == null ? "null" : output.toString())
                .isError(false)
                .build();
    }

    /** The answer to a call that outlived the wait: not an error, the run goes on; how to follow it. */
    private static McpSchema.CallToolResult pending(RunRecord run) {
        String text = "Run " + run.id() + " is still " + run.status().wireName()
                + "; it goes on durably. Follow it by reading the MCP resource "
                + RunResources.uri(run.id()) + " (or subscribing to it), or over REST: GET /v1/runs/" + run.id()
                + "?waitSeconds=60, "
                + "GET /v1/runs/" + run.id() + "/stream.";
        Map<String, Object> ref =
                Map.of("runId", run.id(), "status", run.status().wireName(), "resource", RunResources.uri(run.id()));
        return McpSchema.CallToolResult.builder()
                .structuredContent(ref)
                .addTextContent(text)
                .isError(false)
                .meta(Map.of("tern/runId", run.id()))
                .build();
    }

    private static McpSchema.CallToolResult started(RunRecord run) {
        Map<String, Object> out =
                Map.of("runId", run.id(), "status", run.status().wireName(), "resource", RunResources.uri(run.id()));
        String text = "Started agent run " + run.id() + " (" + run.status().wireName()
                + "). Agents are long-lived: send it events with " + "POST /v1/runs/" + run.id()
                + "/events and read it as " + RunResources.uri(run.id()) + ".";
        return McpSchema.CallToolResult.builder()
                .structuredContent(out)
                .addTextContent(text)
                .isError(false)
                .meta(Map.of("tern/runId", run.id()))
                .build();
    }

    private static McpSchema.CallToolResult error(String text, String runId) {
        McpSchema.CallToolResult.Builder b =
                McpSchema.CallToolResult.builder().addTextContent(text).isError(true);
        if (runId != null) b.meta(Map.of("tern/runId", runId));
        return b.build();
    }

    /**
     * Who called: the MCP client as it named itself at initialize, and its session; recorded with the run's
     * {@code run_created}.
     */
    /** Who calls over MCP: the caller its bearer token resolved to (anonymous when auth is off). */
    static dev.tern.server.auth.Caller callerOf(McpSyncServerExchange exchange) {
        Object caller = exchange.transportContext() == null
                ? null
                : exchange.transportContext().get(dev.tern.server.auth.Caller.ATTRIBUTE);
        return caller instanceof dev.tern.server.auth.Caller c ? c : dev.tern.server.auth.Caller.anonymous();
    }

    static ObjectNode caller(McpSyncServerExchange exchange) {
        ObjectNode caller = McpJson.MAPPER.createObjectNode().put("via", "mcp");
        McpSchema.Implementation client = exchange.getClientInfo();
        if (client != null) {
            ObjectNode info = caller.putObject("clientInfo").put("name", client.name());
            if (client.version() != null) info.put("version", client.version());
        }
        if (exchange.sessionId() != null) caller.put("sessionId", exchange.sessionId());
        return caller;
    }

    private static Object progressToken(McpSchema.CallToolRequest request) {
        return request.meta() == null ? null : request.meta().get("progressToken");
    }

    private static String describe(HistoryEvent e) {
        String step = e.data() != null && e.data().hasNonNull("name")
                ? " '" + e.data().get("name").asText() + "'"
                : "";
        return e.type().wireName().replace('_', ' ') + step;
    }
}

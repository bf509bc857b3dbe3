package dev.tern.server.mcp;

import dev.tern.engine.RunDetail;
import dev.tern.engine.RunRecord;
import dev.tern.engine.TernEngine;
import dev.tern.server.http.ResourceRunView;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs as MCP resources: {@code tern://runs/{runId}} reads a run as its resource view (what {@code GET
 * /v1/runs/{runId}?view=resource} returns). A client that subscribes to a run's URI is sent
 * {@code notifications/resources/updated} each time the run's history grows, until it ends: every run an MCP call
 * started, and every run read here, is watched by one virtual thread.
 */
final class RunResources {
    static final String TEMPLATE = "tern://runs/{runId}";
    private static final String PREFIX = "tern://runs/";
    private static final Logger log = LoggerFactory.getLogger(RunResources.class);
    private static final Duration MAX_WATCH = Duration.ofHours(24);

    private final TernEngine engine;
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private volatile McpSyncServer server;
    private volatile boolean closed;

    RunResources(TernEngine engine) {
        this.engine = engine;
    }

    static String uri(String runId) {
        return PREFIX + runId;
    }

    void attach(McpSyncServer value) {
        this.server = value;
    }

    McpServerFeatures.SyncResourceTemplateSpecification template() {
        McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder()
                .uriTemplate(TEMPLATE)
                .name("run")
                .title("Tern run")
                .mimeType("application/json")
                .description("A Tern run as its resource view: status, input, attempts, what it waits on. Subscribe to "
                        + "follow it.")
                .build();
        return new McpServerFeatures.SyncResourceTemplateSpecification(template, this::read);
    }

    private McpSchema.ReadResourceResult read(McpSyncServerExchange exchange, McpSchema.ReadResourceRequest request) {
        String uri = request.uri();
        String org = RunCallHandler.callerOf(exchange).org();
        Optional<RunDetail> run = (uri.startsWith(PREFIX)
                        ? engine.detail(uri.substring(PREFIX.length()), ResourceRunView.PARTS)
                        : Optional.<RunDetail>empty())
                .filter(r -> r.run().orgId().equals(org)); // another organisation's run does not exist for the caller
        if (run.isEmpty()) throw McpError.RESOURCE_NOT_FOUND.apply(uri);
        watch(run.get().run().id());
        String json = ResourceRunView.read(engine, run.get()).toString();
        return new McpSchema.ReadResourceResult(
                List.of(new McpSchema.TextResourceContents(uri, "application/json", json)));
    }

    /** Tells subscribers of the run's URI of each change until it ends (one watcher per run). */
    void watch(String runId) {
        if (closed || !watched.add(runId)) return;
        Thread.ofVirtual().name("tern-mcp-watch-" + runId).start(() -> {
            try {
                long deadline = System.nanoTime() + MAX_WATCH.toNanos();
                long after = engine.requireRun(runId).lastEventSeq();
                while (!closed && System.nanoTime() < deadline) {
                    if (engine.awaitHistory(runId, after, Duration.ofSeconds(15))) {
                        RunRecord run = engine.requireRun(runId);
                        after = run.lastEventSeq();
                        McpSyncServer s = server;
                        if (s != null) s.notifyResourcesUpdated(new McpSchema.ResourcesUpdatedNotification(uri(runId)));
                        if (run.status().isTerminal()) return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.debug("watching run {} for MCP subscribers stopped: {}", runId, e.toString());
            } finally {
                watched.remove(runId);
            }
        });
    }

    void close() {
        closed = true;
    }
}

package dev.tern.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.server.http.TernHttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Tern through its REST API: the tern-server HTTP server started in this process on a free port over an engine, driven
 * through {@link KeptAliveHttp}, each caller's virtual thread waiting on its own kept-alive connection. Two ways: a run
 * is scheduled with Restack's {@code POST /api/workflows/{name}} and awaited with the long-poll {@code GET
 * /api/workflows/{name}/{id}?waitSeconds=}{@value #WAIT_SECONDS}, repeated until the run ends (two requests); or
 * ({@code oneRequest}) scheduled and awaited at once with {@code POST /v1/runs?waitSeconds=}{@value #WAIT_SECONDS},
 * long-polled again only if it outlasts the wait.
 *
 * <p>The client runs in the bench's process, so its CPU counts against Tern's: {@link KeptAliveHttp}, each caller's
 * virtual thread on a kept-alive connection of its own. The JDK's {@code HttpClient}, used first, spent a quarter of
 * the process's CPU time at 64 callers (its selector thread and the hand-offs of its asynchronous chain); the blocking
 * {@code HttpURLConnection} after it about 15%.
 */
final class TernRestContender implements Contender {
    /**
     * Its buffers recycled across threads: the callers are virtual threads, which Jackson's default pool never reuses.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
            .build());

    private static final int WAIT_SECONDS = 30;
    private static final String BASE = "/api/workflows/";
    private static final long MAX_BODY_BYTES = 1 << 20;

    private final TernContender engine;
    private final TernHttpServer server;
    private final KeptAliveHttp http;
    private final boolean oneRequest;

    TernRestContender(TernContender engine, boolean oneRequest) {
        this.engine = engine;
        this.oneRequest = oneRequest;
        this.server = TernHttpServer.start(
                engine.engine(), new TernHttpServer.Settings("127.0.0.1", 0, null, MAX_BODY_BYTES));
        this.http = new KeptAliveHttp("127.0.0.1", server.port());
    }

    @Override
    public void runSteps(int index, int steps) throws IOException {
        String id;
        if (oneRequest) {
            JsonNode run = scheduleAndWait(BenchWorkflows.STEPS, index, steps);
            if (run.path("status").asText().equals("completed")) return;
            id = run.path("runId").asText();
        } else {
            id = schedule(BenchWorkflows.STEPS, index, steps);
        }
        long deadline = System.nanoTime() + TernContender.RUN_TIMEOUT.toNanos();
        String result = BASE + BenchWorkflows.STEPS + "/" + id + "?waitSeconds=" + WAIT_SECONDS;
        while (true) {
            String status = send("GET", result, null).path("status").asText();
            if (status.equals("completed")) return;
            if (!status.equals("running")) throw new IllegalStateException("run " + id + " ended " + status);
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("run " + id + " still running after " + TernContender.RUN_TIMEOUT);
        }
    }

    /** {@code POST /v1/runs?waitSeconds=}: the run as it stands once it ended (or the wait passed). */
    private JsonNode scheduleAndWait(String workflow, int index, int steps) throws IOException {
        String body = JSON.writeValueAsString(JSON.createObjectNode()
                .put("name", workflow)
                .set("input", JSON.valueToTree(new BenchWorkflows.In(index, steps))));
        return send("POST", "/v1/runs?waitSeconds=" + WAIT_SECONDS, body);
    }

    @Override
    public void startSleeper(int index) throws IOException {
        schedule(BenchWorkflows.SLEEP, index, 0);
    }

    private String schedule(String workflow, int index, int steps) throws IOException {
        String body = JSON.writeValueAsString(
                JSON.createObjectNode().set("input", JSON.valueToTree(new BenchWorkflows.In(index, steps))));
        return send("POST", BASE + workflow, body).path("runId").asText();
    }

    /** One request with a JSON body (or none); its answer, which must be a success. */
    private JsonNode send(String method, String target, String body) throws IOException {
        KeptAliveHttp.Response r =
                http.send(method, target, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        if (r.status() / 100 != 2)
            throw new IOException(method + " " + target + ": HTTP " + r.status() + " "
                    + new String(r.body(), StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    @Override
    public long[] storeWriteCounters() {
        return engine.storeWriteCounters();
    }

    @Override
    public void close() {
        try {
            http.close();
            server.close();
        } finally {
            engine.close();
        }
    }
}

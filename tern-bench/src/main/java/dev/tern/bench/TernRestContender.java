package dev.tern.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.server.http.TernHttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Tern through its REST API: the tern-server HTTP server started in this process on a free port over an engine, driven
 * with {@link HttpClient}. Two ways: a run is scheduled with Restack's {@code POST /api/workflows/{name}} and awaited
 * with the long-poll {@code GET /api/workflows/{name}/{id}?waitSeconds=}{@value #WAIT_SECONDS}, repeated until the run
 * ends (two requests); or ({@code oneRequest}) scheduled and awaited at once with {@code POST
 * /v1/runs?waitSeconds=}{@value #WAIT_SECONDS}, long-polled again only if it outlasts the wait.
 */
final class TernRestContender implements Contender {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WAIT_SECONDS = 30;
    private static final long MAX_BODY_BYTES = 1 << 20;

    private final TernContender engine;
    private final TernHttpServer server;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private final String root;
    private final boolean oneRequest;

    TernRestContender(TernContender engine, boolean oneRequest) {
        this.engine = engine;
        this.oneRequest = oneRequest;
        this.server = TernHttpServer.start(
                engine.engine(), new TernHttpServer.Settings("127.0.0.1", 0, null, MAX_BODY_BYTES));
        this.root = "http://127.0.0.1:" + server.port();
        this.base = root + "/api/workflows/";
    }

    @Override
    public void runSteps(int index, int steps) throws IOException, InterruptedException {
        String id;
        if (oneRequest) {
            JsonNode run = scheduleAndWait(BenchWorkflows.STEPS, index, steps);
            if (run.path("status").asText().equals("completed")) return;
            id = run.path("runId").asText();
        } else {
            id = schedule(BenchWorkflows.STEPS, index, steps);
        }
        long deadline = System.nanoTime() + TernContender.RUN_TIMEOUT.toNanos();
        URI result = URI.create(base + BenchWorkflows.STEPS + "/" + id + "?waitSeconds=" + WAIT_SECONDS);
        while (true) {
            String status =
                    send(HttpRequest.newBuilder(result).GET()).path("status").asText();
            if (status.equals("completed")) return;
            if (!status.equals("running")) throw new IllegalStateException("run " + id + " ended " + status);
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("run " + id + " still running after " + TernContender.RUN_TIMEOUT);
        }
    }

    /** {@code POST /v1/runs?waitSeconds=}: the run as it stands once it ended (or the wait passed). */
    private JsonNode scheduleAndWait(String workflow, int index, int steps) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(JSON.createObjectNode()
                .put("name", workflow)
                .set("input", JSON.valueToTree(new BenchWorkflows.In(index, steps))));
        return send(HttpRequest.newBuilder(URI.create(root + "/v1/runs?waitSeconds=" + WAIT_SECONDS))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Override
    public void startSleeper(int index) throws IOException, InterruptedException {
        schedule(BenchWorkflows.SLEEP, index, 0);
    }

    private String schedule(String workflow, int index, int steps) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(
                JSON.createObjectNode().set("input", JSON.valueToTree(new BenchWorkflows.In(index, steps))));
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(base + workflow))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(post).path("runId").asText();
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(request.build().method() + " "
                    + request.build().uri() + ": HTTP " + response.statusCode() + " " + new String(response.body()));
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            engine.close();
        }
    }
}

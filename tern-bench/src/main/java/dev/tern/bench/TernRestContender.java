package dev.tern.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tern.server.http.TernHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Tern through its REST API: the tern-server HTTP server started in this process on a free port over an engine, driven
 * with the JDK's blocking {@link HttpURLConnection}, each caller's virtual thread waiting on its own kept-alive
 * connection. Two ways: a run is scheduled with Restack's {@code POST /api/workflows/{name}} and awaited with the
 * long-poll {@code GET /api/workflows/{name}/{id}?waitSeconds=}{@value #WAIT_SECONDS}, repeated until the run ends (two
 * requests); or ({@code oneRequest}) scheduled and awaited at once with {@code POST
 * /v1/runs?waitSeconds=}{@value #WAIT_SECONDS}, long-polled again only if it outlasts the wait.
 *
 * <p>The client runs in the bench's process, so its CPU counts against Tern's. The JDK's {@code HttpClient}, used
 * before, spent a quarter of the process's CPU time at 64 callers (its selector thread and the hand-offs of its
 * asynchronous chain, under a synchronous {@code send}); the blocking client spends about half of that, as a load
 * generator should. {@link BenchMain} lets it keep as many idle connections as there are callers.
 */
final class TernRestContender implements Contender {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WAIT_SECONDS = 30;
    private static final long MAX_BODY_BYTES = 1 << 20;

    private final TernContender engine;
    private final TernHttpServer server;
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
        String result = base + BenchWorkflows.STEPS + "/" + id + "?waitSeconds=" + WAIT_SECONDS;
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
        return send("POST", root + "/v1/runs?waitSeconds=" + WAIT_SECONDS, body);
    }

    @Override
    public void startSleeper(int index) throws IOException {
        schedule(BenchWorkflows.SLEEP, index, 0);
    }

    private String schedule(String workflow, int index, int steps) throws IOException {
        String body = JSON.writeValueAsString(
                JSON.createObjectNode().set("input", JSON.valueToTree(new BenchWorkflows.In(index, steps))));
        return send("POST", base + workflow, body).path("runId").asText();
    }

    /** One request with a JSON body (or none); the response body read to its end, so the connection is kept alive. */
    private static JsonNode send(String method, String url, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
            }
        }
        int status = c.getResponseCode();
        boolean ok = status / 100 == 2;
        byte[] response;
        try (InputStream in = ok ? c.getInputStream() : c.getErrorStream()) {
            long length = c.getContentLengthLong();
            // a body of known length is read into an array of that length, not through 16 KiB chunks
            response = in == null
                    ? new byte[0]
                    : length >= 0 && length <= Integer.MAX_VALUE ? in.readNBytes((int) length) : in.readAllBytes();
        }
        if (!ok) throw new IOException(method + " " + url + ": HTTP " + status + " " + new String(response));
        return JSON.readTree(response);
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

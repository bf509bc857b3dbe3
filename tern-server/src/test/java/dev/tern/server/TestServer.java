package dev.tern.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.TernEngine;
import dev.tern.engine.internal.json.Json;
import dev.tern.examples.Demo;
import dev.tern.sdk.Definitions;
import dev.tern.server.auth.TokenRegistry;
import dev.tern.server.http.TernHttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A real server (engine + HTTP on an ephemeral loopback port, SQLite in a temp dir) and a small HTTP client for it. */
public final class TestServer implements AutoCloseable {
    /** A response: status, content type and body parsed as JSON (null if empty). */
    public record Response(int status, String contentType, JsonNode body, String raw) {}

    private final TernEngine engine;
    private final TernHttpServer http;
    private final HttpClient client = HttpClient.newHttpClient();
    private final String token;

    private TestServer(TernEngine engine, TernHttpServer http, String token) {
        this.engine = engine;
        this.http = http;
        this.token = token;
    }

    public static TestServer start(Path dataDir, String token) {
        return start(dataDir, token, 10L * 1024 * 1024);
    }

    public static TestServer start(Path dataDir, String token, long maxBodyBytes) {
        return start(EngineConfig.embedded(dataDir).withFsync(false), token, maxBodyBytes);
    }

    public static TestServer start(EngineConfig config, String token, long maxBodyBytes) {
        return start(config, token, maxBodyBytes, Demo.definitions());
    }

    public static TestServer start(EngineConfig config, String token, long maxBodyBytes, Definitions definitions) {
        return start(config, token, maxBodyBytes, definitions, null);
    }

    /** A server reporting to {@code telemetry} (its engine too); null: the defaults. */
    public static TestServer start(
            EngineConfig config,
            String token,
            long maxBodyBytes,
            Definitions definitions,
            TernHttpServer.Telemetry telemetry) {
        return start(config, token, maxBodyBytes, definitions, telemetry, null);
    }

    /**
     * A server accepting the tokens of {@code tokens} (the demo's definitions); {@link #get} and {@link #post} send no
     * token.
     */
    public static TestServer startWithTokens(Path dataDir, TokenRegistry tokens) {
        return start(
                EngineConfig.embedded(dataDir).withFsync(false),
                null,
                10L * 1024 * 1024,
                Demo.definitions(),
                null,
                tokens);
    }

    /** A server on {@code config}'s store whose tokens (and quotas) come from {@code tokens}. */
    public static TestServer startWithTokens(EngineConfig config, TokenRegistry tokens) {
        return start(config.withQuotas(tokens::quota), null, 10L * 1024 * 1024, Demo.definitions(), null, tokens);
    }

    private static TestServer start(
            EngineConfig config,
            String token,
            long maxBodyBytes,
            Definitions definitions,
            TernHttpServer.Telemetry telemetry,
            TokenRegistry tokens) {
        EngineConfig tuned = config.withSuspendGrace(Duration.ofMillis(300)).withPollInterval(Duration.ofMillis(100));
        if (telemetry != null)
            tuned = tuned.withObservability(telemetry.telemetry().observability());
        TernEngine engine = TernEngine.start(tuned, definitions);
        var settings = new TernHttpServer.Settings("127.0.0.1", 0, token, maxBodyBytes);
        TernHttpServer http =
                TernHttpServer.start(engine, settings, dev.tern.server.mcp.McpSettings.none(), telemetry, tokens);
        return new TestServer(engine, http, token);
    }

    public TernEngine engine() {
        return engine;
    }

    public TernHttpServer http() {
        return http;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + http.port();
    }

    public Response get(String path) {
        return send("GET", path, null, token);
    }

    public Response post(String path, String body) {
        return send("POST", path, body, token);
    }

    public Response put(String path, String body) {
        return send("PUT", path, body, token);
    }

    /** Sends a request with the given bearer token (null for none) and extra header name/value pairs. */
    public Response send(String method, String path, String body, String bearer, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        if (body != null) b.header("Content-Type", "application/json");
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body());
            return new Response(
                    r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), json, r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status of a request with the given bearer token (null for none), its body unread as JSON. */
    public int status(String method, String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls the native run until it is finished. */
    public JsonNode awaitRun(String runId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode run = get("/v1/runs/" + runId).body();
            String status = run.path("status").asText();
            if (status.equals("completed")
                    || status.equals("failed")
                    || status.equals("cancelled")
                    || System.nanoTime() > deadline) return run;
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        http.close();
        engine.close();
    }
}

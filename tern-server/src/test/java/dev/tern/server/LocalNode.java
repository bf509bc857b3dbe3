package dev.tern.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.TernEngine;
import dev.tern.engine.internal.json.Json;
import dev.tern.sdk.Definitions;
import dev.tern.server.http.TernHttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * An engine and its HTTP server in this JVM, started exactly as configured (unlike {@link TestServer}, which shortens
 * the suspend grace period for every test), with a JSON client.
 */
final class LocalNode implements AutoCloseable {
    private final TernEngine engine;
    private final TernHttpServer http;
    private final HttpClient client = HttpClient.newHttpClient();

    private LocalNode(TernEngine engine, TernHttpServer http) {
        this.engine = engine;
        this.http = http;
    }

    static LocalNode start(EngineConfig config, Definitions definitions, TernHttpServer.Settings settings) {
        TernEngine engine = TernEngine.start(config, definitions);
        return new LocalNode(engine, TernHttpServer.start(engine, settings));
    }

    static LocalNode start(EngineConfig config, Definitions definitions) {
        return start(config, definitions, new TernHttpServer.Settings("127.0.0.1", 0, null, 10L << 20));
    }

    TernEngine engine() {
        return engine;
    }

    int port() {
        return http.port();
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, String body) {
        return send("POST", path, body);
    }

    /** Sends the request; fails unless it is answered 2xx. */
    JsonNode send(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2)
                throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Polls {@code path} until its JSON satisfies {@code until}; fails after {@code timeout} naming what it saw last.
     */
    JsonNode await(String path, Predicate<JsonNode> until, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode body = get(path);
            if (until.test(body)) return body;
            if (System.nanoTime() > deadline)
                throw new AssertionError("no " + what + " within " + timeout + "; last: " + body);
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        http.close();
        engine.close();
    }
}

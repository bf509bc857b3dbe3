package dev.tern.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bench's HTTP client against a real HTTP server on a loopback port: bodies both ways, framing, kept-alive reuse.
 */
@Timeout(30) // a response read past its end waits for bytes that never come: a failure, not a hang
class KeptAliveHttpTest {
    private HttpServer server;
    private final Set<InetSocketAddress> clients = ConcurrentHashMap.newKeySet();
    private KeptAliveHttp http;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/echo", e -> answer(e, 200, e.getRequestBody().readAllBytes(), false));
        server.createContext("/chunked", e -> answer(e, 201, "x".repeat(20_000).getBytes(), true));
        server.createContext("/missing", e -> answer(e, 404, "{\"title\":\"no such run\"}".getBytes(), false));
        server.createContext("/gone", e -> answer(e, 204, new byte[0], false));
        server.start();
        http = new KeptAliveHttp("127.0.0.1", server.getAddress().getPort());
    }

    private void answer(HttpExchange e, int status, byte[] body, boolean chunked) throws IOException {
        clients.add(e.getRemoteAddress());
        e.sendResponseHeaders(status, chunked ? 0 : body.length == 0 ? -1 : body.length);
        try (OutputStream out = e.getResponseBody()) {
            if (chunked)
                for (int i = 0; i < body.length; i += 3_000) out.write(body, i, Math.min(3_000, body.length - i));
            else out.write(body);
        }
    }

    @AfterEach
    void stop() {
        http.close();
        server.stop(0);
    }

    @Test
    void sendsAndReadsBodiesOnOneKeptAliveConnection() throws IOException {
        String big = "{\"text\":\"" + "é".repeat(30_000) + "\"}";
        for (String body : new String[] {"{\"a\":1}", big, "{}"}) {
            KeptAliveHttp.Response r = http.send("POST", "/echo?x=1", body.getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(body);
        }
        KeptAliveHttp.Response chunked = http.send("GET", "/chunked", null);
        assertThat(chunked.status()).isEqualTo(201);
        assertThat(new String(chunked.body(), StandardCharsets.UTF_8)).isEqualTo("x".repeat(20_000));
        KeptAliveHttp.Response missing = http.send("GET", "/missing", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(new String(missing.body(), StandardCharsets.UTF_8)).contains("no such run");
        KeptAliveHttp.Response none = http.send("DELETE", "/gone", null);
        assertThat(none.status()).isEqualTo(204);
        assertThat(none.body()).isEmpty();
        assertThat(http.send("POST", "/echo", "{\"after\":204}".getBytes()).body())
                .asString()
                .isEqualTo("{\"after\":204}");
        assertThat(clients).as("every request on the same connection").hasSize(1);
    }

    @Test
    void aConnectionTheServerClosedIsReplaced() throws IOException {
        assertThat(http.send("POST", "/echo", "{}".getBytes()).status()).isEqualTo(200);
        int port = server.getAddress().getPort();
        server.stop(0);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/echo", e -> answer(e, 200, e.getRequestBody().readAllBytes(), false));
        server.start();
        KeptAliveHttp.Response r = http.send("POST", "/echo", "{\"again\":true}".getBytes());
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"again\":true}");
        assertThat(clients).hasSize(2);
    }
}

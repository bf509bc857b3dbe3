package dev.tern.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.EngineConfig;
import dev.tern.engine.TernEngine;
import dev.tern.engine.internal.json.Json;
import dev.tern.examples.Demo;
import dev.tern.server.http.TernHttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection limits at the door: a burst of connects is queued, not reset; a client that trickles its request is cut
 * off within the request timeout; long-polls and event streams outlive a short idle timeout.
 */
class HttpDoorConnectionTest {
    @TempDir
    Path dir;

    TernEngine engine;
    TernHttpServer http;

    void start(Duration idleTimeout, Duration requestTimeout) {
        engine = TernEngine.start(
                EngineConfig.embedded(dir)
                        .withFsync(false)
                        .withSuspendGrace(Duration.ofMillis(300))
                        .withPollInterval(Duration.ofMillis(100)),
                Demo.definitions());
        http = TernHttpServer.start(
                engine,
                new TernHttpServer.Settings(
                        "127.0.0.1",
                        0,
                        null,
                        1 << 20,
                        TernHttpServer.Settings.DEFAULT_ACCEPT_QUEUE_SIZE,
                        idleTimeout,
                        requestTimeout));
    }

    @AfterEach
    void stop() {
        if (http != null) http.close();
        if (engine != null) engine.close();
    }

    String url(String path) {
        return "http://127.0.0.1:" + http.port() + path;
    }

    /**
     * 300 connects sent at once from one thread, without waiting: each handshake completes at once (a full listen
     * backlog drops the SYN, which the client sends again only after a second, or resets the connection), and each
     * connection is then served.
     */
    @Test
    void threeHundredSimultaneousConnectsAreAllAcceptedAndServed() throws Exception {
        engine = TernEngine.start(EngineConfig.embedded(dir).withFsync(false), Demo.definitions());
        http = TernHttpServer.start(engine, new TernHttpServer.Settings("127.0.0.1", 0, null, 1 << 20));
        List<SocketChannel> channels = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            long start = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                SocketChannel channel = SocketChannel.open();
                channels.add(channel);
                channel.configureBlocking(false);
                if (!channel.connect(new InetSocketAddress("127.0.0.1", http.port())))
                    channel.register(selector, SelectionKey.OP_CONNECT);
            }
            int pending = selector.keys().size();
            while (pending > 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                selector.select(1000);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (((SocketChannel) key.channel()).finishConnect()) {
                        key.cancel();
                        pending--;
                    }
                }
                selector.selectedKeys().clear();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("every handshake completed without a retry")
                    .isLessThan(Duration.ofMillis(900));
            selector.selectNow(); // flush the cancelled keys before the channels turn blocking
            for (SocketChannel channel : channels) {
                channel.configureBlocking(true);
                channel.socket().setSoTimeout(10_000);
                channel.write(ByteBuffer.wrap("GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
            }
            for (SocketChannel channel : channels) {
                String answer =
                        new String(channel.socket().getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 200");
            }
        } finally {
            for (SocketChannel channel : channels) channel.close();
        }
    }

    /**
     * Sends {@code bytes} one at a time, {@code gap} apart, until the server closes; the time from the first byte to
     * the close.
     */
    static Duration trickle(Socket socket, byte[] bytes, Duration gap) throws Exception {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        socket.setSoTimeout((int) gap.toMillis());
        long start = System.nanoTime();
        for (byte b : bytes) {
            try {
                out.write(b);
                out.flush();
                if (in.read() == -1) return Duration.ofNanos(System.nanoTime() - start);
                // the server answered: read the rest of the answer until it closes
                while (in.read() != -1) {
                    /* drain */
                }
                return Duration.ofNanos(System.nanoTime() - start);
            } catch (java.net.SocketTimeoutException stillOpen) {
                // nothing from the server yet: send the next byte
            } catch (SocketException closed) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
        }
        throw new AssertionError("the server kept the connection while the whole request trickled in");
    }

    @Test
    void aClientTricklingItsHeadersIsDisconnectedWithinTheRequestTimeout() throws Exception {
        start(Duration.ofSeconds(30), Duration.ofSeconds(3));
        byte[] request = ("GET /v1/runs HTTP/1.1\r\nHost: t\r\nX-Slow: " + "a".repeat(40) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", http.port())) {
            Duration held = trickle(socket, request, Duration.ofSeconds(2));
            assertThat(held).isLessThan(Duration.ofSeconds(3 + 3));
        }
        // a persistent connection gets the same deadline for its next request
        try (Socket socket = new Socket("127.0.0.1", http.port())) {
            socket.getOutputStream()
                    .write("GET /health HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            byte[] first = new byte[12];
            assertThat(socket.getInputStream().readNBytes(first, 0, 12)).isEqualTo(12);
            assertThat(new String(first, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            Duration held = trickle(
                    socket,
                    "GET /health HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    Duration.ofSeconds(2));
            assertThat(held).isLessThan(Duration.ofSeconds(3 + 3));
        }
    }

    private static final String HELLO_ADA = "{\"name\": \"hello\", \"input\": {\"name\": \"Ada\"}}";

    /** The request line and headers of {@code POST /v1/runs} declaring a body of {@code contentLength} bytes. */
    private static byte[] scheduleHead(int contentLength) {
        return ("POST /v1/runs HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: "
                        + contentLength + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aClientTricklingItsBodyGetsA408WithinTheRequestTimeout() throws Exception {
        start(Duration.ofSeconds(30), Duration.ofSeconds(3));
        String body = HELLO_ADA;
        try (Socket socket = new Socket("127.0.0.1", http.port())) {
            socket.getOutputStream().write(scheduleHead(body.length()));
            long start = System.nanoTime();
            StringBuilder answer = new StringBuilder();
            socket.setSoTimeout(2000);
            InputStream in = socket.getInputStream();
            for (byte b : body.getBytes(StandardCharsets.US_ASCII)) {
                try {
                    socket.getOutputStream().write(b);
                    for (int c; (c = in.read()) != -1; ) answer.append((char) c);
                    break;
                } catch (java.net.SocketTimeoutException stillReading) {
                    // send the next byte
                } catch (SocketException closed) {
                    break;
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3 + 4));
            assertThat(answer.toString()).startsWith("HTTP/1.1 408").contains("application/problem+json");
        }
        assertThat(engine.runs(new dev.tern.engine.RunQuery(null, null, null, 10, null))
                        .runs())
                .isEmpty();
    }

    @Test
    void aBodyThatBreaksOffBeforeItsDeclaredLengthIsA400AndStartsNothing() throws Exception {
        start(Duration.ofSeconds(30), Duration.ofSeconds(3));
        String body = HELLO_ADA;
        try (Socket socket = new Socket("127.0.0.1", http.port())) {
            socket.getOutputStream().write(scheduleHead(body.length() + 40));
            socket.getOutputStream().write(body.getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            socket.setSoTimeout(5000);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json");
        }
        assertThat(engine.runs(new dev.tern.engine.RunQuery(null, null, null, 10, null))
                        .runs())
                .isEmpty();
    }

    @Test
    void longPollsAndEventStreamsOutliveAShortIdleTimeout() throws Exception {
        start(Duration.ofSeconds(1), Duration.ofSeconds(1));
        HttpClient client = HttpClient.newHttpClient();
        String run = Json.MAPPER
                .readTree(client.send(
                                HttpRequest.newBuilder(URI.create(url("/v1/runs")))
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"name\": \"sleepy\", \"input\": {\"seconds\": 600}}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .get("runId")
                .asText();

        long start = System.nanoTime();
        HttpResponse<String> polled = client.send(
                HttpRequest.newBuilder(URI.create(url("/v1/runs/" + run + "?waitSeconds=3")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(polled.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));

        try (SseClient sse = SseClient.open(client, url("/v1/runs/" + run + "/stream"), null)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.nextEvent(Duration.ofSeconds(5)).event()).isEqualTo("run_created");
            Thread.sleep(3000); // the stream is silent for three idle timeouts (its heartbeat comes every 15 s)
            HttpResponse<String> sent = client.send(
                    HttpRequest.newBuilder(URI.create(url("/v1/runs/" + run + "/events")))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"eventName\": \"ping\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).isEqualTo(200);
            SseClient.Message m;
            do {
                m = sse.nextEvent(Duration.ofSeconds(5));
                assertThat(m).as("the stream is still open").isNotNull();
            } while (!m.event().equals("event_received"));
        }
    }
}

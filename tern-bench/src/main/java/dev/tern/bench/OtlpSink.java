package dev.tern.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stand-in for an OpenTelemetry collector on 127.0.0.1 (a free port), run in a child JVM as a collector runs in its
 * own process: what it spends reading and answering exports is not the engine's cost, so it is not in the bench
 * process's CPU time. Every POST body is read and thrown away and answered 200 with an empty body (an empty
 * {@code ExportTraceServiceResponse}: all accepted); {@code GET /stats} answers the requests and bytes taken so far.
 * Bench code, not a test fixture.
 */
final class OtlpSink implements AutoCloseable {
    private static final String LISTENING = "otlp-sink listening on port ";

    private final Process child;
    private final int port;
    private final HttpClient client = HttpClient.newHttpClient();
    /** What the sink had taken when it was closed (read again while it runs). */
    private volatile long[] finalStats;

    private OtlpSink(Process child, int port) {
        this.child = child;
        this.port = port;
    }

    /** Starts the sink's JVM and waits until it listens. */
    static OtlpSink start() {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                OtlpSink.class.getName());
        try {
            Process child = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith(LISTENING)) {
                child.destroyForcibly();
                throw new IllegalStateException("the OTLP sink did not start: " + line);
            }
            return new OtlpSink(child, Integer.parseInt(line.substring(LISTENING.length())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the OTLP sink: " + e.getMessage(), e);
        }
    }

    /** Where an OTLP/HTTP span exporter sends: {@code http://127.0.0.1:PORT/v1/traces}. */
    String tracesEndpoint() {
        return "http://127.0.0.1:" + port + "/v1/traces";
    }

    long requests() {
        return stats()[0];
    }

    long bytes() {
        return stats()[1];
    }

    private long[] stats() {
        long[] closed = finalStats;
        if (closed != null) return closed;
        try {
            String body = client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            String[] parts = body.strip().split(" ");
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new long[] {-1, -1};
        }
    }

    @Override
    public void close() {
        if (finalStats != null) return;
        finalStats = stats();
        child.destroy();
        try {
            if (!child.waitFor(5, TimeUnit.SECONDS)) child.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroyForcibly();
        }
    }

    /** The sink's JVM: listens, prints its port, serves until the bench closes its input or ends. */
    public static void main(String[] args) throws IOException {
        // the JDK server leaves Nagle on by default (read once, at first use); see FakeModelServer
        System.setProperty("sun.net.httpserver.nodelay", "true");
        LongAdder requests = new LongAdder();
        LongAdder bytes = new LongAdder();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/stats", exchange -> {
            try (exchange) {
                byte[] body = (requests.sum() + " " + bytes.sum()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.createContext("/", exchange -> take(exchange, requests, bytes));
        server.start();
        System.out.println(LISTENING + server.getAddress().getPort());
        System.out.flush();
        // the bench never writes to this stream: its end means the bench is gone, however it ended
        while (System.in.read() >= 0) {
            // nothing to read
        }
        server.stop(0);
        executor.shutdownNow();
    }

    private static void take(HttpExchange exchange, LongAdder requests, LongAdder bytes) throws IOException {
        try (exchange) {
            long n = 0;
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = exchange.getRequestBody()) {
                for (int r; (r = in.read(buffer)) >= 0; ) n += r;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            requests.increment();
            bytes.add(n);
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }
}

package dev.tern.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stand-in for an OpenTelemetry collector on 127.0.0.1 (a free port): every POST body is read and thrown away and
 * answered 200 with an empty body (an empty {@code ExportTraceServiceResponse}: all accepted). It counts the requests
 * and bytes it got. Bench code, not a test fixture.
 */
final class OtlpSink implements AutoCloseable {
    static {
        // the JDK server leaves Nagle on by default (read once, at first use); see FakeModelServer
        if (System.getProperty("sun.net.httpserver.nodelay") == null)
            System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    // platform threads: a collector is another process, it does not share the engine's carrier threads
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "tern-bench-otlp-sink");
        t.setDaemon(true);
        return t;
    });
    private final HttpServer server;
    private final LongAdder requests = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    private OtlpSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static OtlpSink start() {
        try {
            return new OtlpSink();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the OTLP sink: " + e.getMessage(), e);
        }
    }

    /** Where an OTLP/HTTP span exporter sends: {@code http://127.0.0.1:PORT/v1/traces}. */
    String tracesEndpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    long requests() {
        return requests.sum();
    }

    long bytes() {
        return bytes.sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
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

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

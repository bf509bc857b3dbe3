package dev.tern.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A zero-latency fake of OpenAI's chat-completions API on 127.0.0.1 (a free port), so that a model call costs only the
 * client, the HTTP round trip and what is wrapped around it. Every {@code POST /v1/chat/completions} gets the same
 * short reply at once: with {@code "stream": true} as server-sent {@code chat.completion.chunk} events (role, four
 * content deltas, finish, usage, {@code [DONE]}), else as one {@code chat.completion}. Bench code, not a test fixture:
 * the bench does not depend on test jars.
 */
final class FakeModelServer implements AutoCloseable {
    static final String MODEL = "fake-model";
    /** The reply's content deltas; {@link #TEXT} is their concatenation. */
    static final List<String> PIECES = List.of("The", " answer", " is", " 42.");

    static final String TEXT = String.join("", PIECES);
    static final int PROMPT_TOKENS = 9;
    static final int COMPLETION_TOKENS = PIECES.size();

    private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
    private static final byte[] STREAM_BODY = streamBody();
    private static final byte[] COMPLETION_BODY = completionBody();

    static {
        // the JDK server leaves Nagle on by default: small writes would then wait for delayed ACKs (read once, at first
        // use)
        if (System.getProperty("sun.net.httpserver.nodelay") == null)
            System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    // platform threads: a model server is another process; on virtual threads the fake would compete with the engine's
    // runs for
    // the same two carrier threads, which no real deployment does
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpServer server;

    private FakeModelServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    static FakeModelServer start() {
        try {
            return new FakeModelServer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake model server: " + e.getMessage(), e);
        }
    }

    /** {@code http://127.0.0.1:PORT/v1}, the base URL LangChain4j and Tern's model endpoint take. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            boolean stream = STREAM.matcher(body).find();
            byte[] reply = stream ? STREAM_BODY : COMPLETION_BODY;
            exchange.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
        }
    }

    private static byte[] streamBody() {
        String head =
                "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
                        + MODEL + "\",";
        StringBuilder b = new StringBuilder();
        b.append(event(head + choice("{\"role\":\"assistant\",\"content\":\"\"}", "null")));
        for (String piece : PIECES) b.append(event(head + choice("{\"content\":\"" + piece + "\"}", "null")));
        b.append(event(head + choice("{}", "\"stop\"")));
        b.append(event(head + "\"choices\":[]," + usage() + "}"));
        b.append("data: [DONE]\n\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] completionBody() {
        return ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"" + MODEL
                        + "\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + TEXT
                        + "\"},\"finish_reason\":\"stop\"}],"
                        + usage() + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String choice(String delta, String finishReason) {
        return "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}";
    }

    private static String usage() {
        return "\"usage\":{\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":" + COMPLETION_TOKENS
                + ",\"total_tokens\":" + (PROMPT_TOKENS + COMPLETION_TOKENS) + "}";
    }

    private static String event(String json) {
        return "data: " + json + "\n\n";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

package dev.tern.testkit.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A local fake of OpenAI's chat-completions API over real HTTP, for driving LangChain4j's {@code OpenAiChatModel} /
 * {@code OpenAiStreamingChatModel} in tests via {@code .baseUrl(fake.baseUrl())}.
 *
 * <p>{@code POST /v1/chat/completions} answers, one per request, from a FIFO of scripted {@link FakeReply}s
 * ({@link #enqueue}), then from a default responder ({@link #respondWith}; initially the text "ok"). Requests with
 * {@code "stream": true} get server-sent {@code chat.completion.chunk} events, flushed one by one, ending with a usage
 * chunk and {@code data: [DONE]}. Every valid request body and its Authorization header is recorded. While a streamed
 * reply is held ({@link FakeReply#holdAfterChunks}) the fake writes an SSE comment every 50 ms, so it notices a client
 * that went away; a held non-streaming reply has sent nothing yet (so the client's own timeout still applies) and waits
 * only for its release or {@link #close()}.
 */
public final class FakeOpenAi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/v1/chat/completions";
    /** The model name {@link #endpoint()} asks for (replies echo the requested name). */
    public static final String MODEL = "fake-model";

    private static final long POLL_MILLIS = 50;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Queue<FakeReply> script = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> requests = new ArrayList<>(); // guarded by this
    private final List<String> authorizations = new ArrayList<>(); // guarded by this
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Function<JsonNode, FakeReply> responder = request -> FakeReply.text("ok");
    private volatile boolean closed;

    private FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake on 127.0.0.1 at a free port. */
    public static FakeOpenAi start() {
        try {
            return new FakeOpenAi();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT/v1}, for LangChain4j's {@code baseUrl(...)}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /**
     * This fake as the model a Tern engine calls (see {@code TernTestEnvironment.Builder#model}), at $1 / $2 per
     * million tokens.
     */
    public dev.tern.sdk.ModelEndpoint endpoint() {
        return dev.tern.sdk.ModelEndpoint.configured(baseUrl(), "test-key", MODEL, 1.0, 2.0);
    }

    /** Adds replies to the FIFO consumed one per request. */
    public FakeOpenAi enqueue(FakeReply... replies) {
        for (FakeReply reply : replies) script.add(Objects.requireNonNull(reply));
        return this;
    }

    /** Sets the responder used when the FIFO is empty; it gets the request body. */
    public FakeOpenAi respondWith(Function<JsonNode, FakeReply> fn) {
        responder = Objects.requireNonNull(fn);
        return this;
    }

    /** Bodies of the valid chat-completion requests received so far, in arrival order. */
    public synchronized List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    public synchronized int requestCount() {
        return requests.size();
    }

    /** Authorization header of each request in {@link #requests()} (empty string when absent). */
    public synchronized List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** Blocks until at least {@code n} requests arrived and returns them; throws AssertionError on timeout. */
    public synchronized List<JsonNode> awaitRequests(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (requests.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(
                        "expected " + n + " requests within " + timeout + " but got " + requests.size());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(requests);
    }

    /** Chat-completion replies being written, delayed or held right now (0 once a dropped client is noticed). */
    public int inFlight() {
        return inFlight.get();
    }

    /** Stops the server at once; held and delayed replies are abandoned. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }

    private synchronized void record(JsonNode body, String authorization) {
        requests.add(body);
        authorizations.add(authorization == null ? "" : authorization);
        notifyAll();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !PATH.equals(path)) {
                sendJson(exchange, 404, errorBody("Unknown request URL: " + exchange.getRequestMethod() + " " + path));
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(exchange.getRequestBody());
            } catch (JsonProcessingException e) {
                sendJson(exchange, 400, errorBody("We could not parse the JSON body of your request."));
                return;
            }
            if (body == null || !body.path("messages").isArray()) {
                sendJson(exchange, 400, errorBody("Missing required parameter: 'messages'."));
                return;
            }
            inFlight.incrementAndGet();
            try {
                record(body, exchange.getRequestHeaders().getFirst("Authorization"));
                FakeReply reply = script.poll();
                answer(exchange, body, reply != null ? reply : responder.apply(body));
            } finally {
                inFlight.decrementAndGet();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away or the fake was closed: nothing left to answer
        }
    }

    private void answer(HttpExchange exchange, JsonNode request, FakeReply reply)
            throws IOException, InterruptedException {
        if (!reply.delay().isZero()) Thread.sleep(reply.delay());
        String model =
                reply.model() != null ? reply.model() : request.path("model").asText("fake-model");
        if (reply.isError()) {
            if (held(reply, null)) sendJson(exchange, reply.status(), errorBody(reply.text()));
        } else if (request.path("stream").asBoolean(false)) {
            stream(exchange, reply, model);
        } else if (held(reply, null)) {
            sendJson(exchange, 200, completion(reply, model));
        }
    }

    private void stream(HttpExchange exchange, FakeReply reply, String model) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        ObjectNode base = JSON.createObjectNode()
                .put("id", nextId())
                .put("object", "chat.completion.chunk")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", model);
        event(out, chunk(base, delta().put("role", "assistant").put("content", ""), null));
        List<String> pieces = reply.contentChunks();
        int holdAt = Math.min(reply.holdAfterChunks(), pieces.size());
        for (int i = 0; i <= pieces.size(); i++) {
            if (i == holdAt && !held(reply, () -> writeFlush(out, ": held\n\n"))) return;
            if (i < pieces.size()) event(out, chunk(base, delta().put("content", pieces.get(i)), null));
        }
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            FakeReply.ToolCall call = reply.toolCalls().get(i);
            ObjectNode first = toolCallJson(call, "").put("index", i);
            event(
                    out,
                    chunk(base, delta().set("tool_calls", JSON.createArrayNode().add(first)), null));
            String args = call.argumentsJson();
            for (String piece : List.of(args.substring(0, args.length() / 2), args.substring(args.length() / 2))) {
                ObjectNode more = JSON.createObjectNode().put("index", i);
                more.putObject("function").put("arguments", piece);
                event(
                        out,
                        chunk(
                                base,
                                delta().set("tool_calls", JSON.createArrayNode().add(more)),
                                null));
            }
        }
        event(out, chunk(base, delta(), reply.effectiveFinishReason()));
        ObjectNode usage = base.deepCopy();
        usage.putArray("choices");
        usage.set("usage", usage(reply));
        event(out, usage);
        writeFlush(out, "data: [DONE]\n\n");
    }

    private ObjectNode completion(FakeReply reply, String model) {
        ObjectNode root = JSON.createObjectNode()
                .put("id", nextId())
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        ObjectNode message =
                choice.putObject("message").put("role", "assistant").put("content", reply.text());
        if (!reply.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            reply.toolCalls().forEach(call -> calls.add(toolCallJson(call, call.argumentsJson())));
        }
        choice.put("finish_reason", reply.effectiveFinishReason());
        root.set("usage", usage(reply));
        return root;
    }

    private static ObjectNode toolCallJson(FakeReply.ToolCall call, String arguments) {
        ObjectNode json = JSON.createObjectNode().put("id", call.id()).put("type", "function");
        json.putObject("function").put("name", call.name()).put("arguments", arguments);
        return json;
    }

    private static ObjectNode chunk(ObjectNode base, ObjectNode delta, String finishReason) {
        ObjectNode chunk = base.deepCopy();
        chunk.putArray("choices")
                .addObject()
                .put("index", 0)
                .<ObjectNode>set("delta", delta)
                .put("finish_reason", finishReason);
        return chunk;
    }

    private static ObjectNode delta() {
        return JSON.createObjectNode();
    }

    private static ObjectNode usage(FakeReply reply) {
        return JSON.createObjectNode()
                .put("prompt_tokens", reply.promptTokens())
                .put("completion_tokens", reply.completionTokens())
                .put("total_tokens", reply.promptTokens() + reply.completionTokens());
    }

    private static ObjectNode errorBody(String message) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error")
                .put("message", message)
                .put("type", "invalid_request_error")
                .putNull("code");
        return root;
    }

    private String nextId() {
        return "chatcmpl-fake-" + ids.incrementAndGet();
    }

    /** Waits for the reply's release, if any; false when the fake closed meanwhile. */
    private boolean held(FakeReply reply, IoAction heartbeat) throws IOException, InterruptedException {
        if (reply.release() == null) return !closed;
        while (!reply.release().await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (closed) return false;
            if (heartbeat != null) heartbeat.run(); // throws once the client has disconnected
        }
        return !closed;
    }

    private static void event(OutputStream out, JsonNode data) throws IOException {
        writeFlush(out, "data: " + JSON.writeValueAsString(data) + "\n\n");
    }

    private static void writeFlush(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}

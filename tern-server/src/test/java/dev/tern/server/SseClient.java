package dev.tern.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw Server-Sent Events reader over java.net.http: parses messages and comments as they arrive, and notices the end
 * of the stream.
 */
final class SseClient implements AutoCloseable {
    /** One SSE message; {@code comment} messages carry only the comment text. */
    record Message(String id, String event, String data, String comment) {}

    private static final Message END = new Message(null, null, null, "<end>");

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    static SseClient open(HttpClient http, String url, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream")
                .GET();
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        return new SseClient(r);
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null || id != null)
                        messages.add(new Message(id, event, data == null ? null : data.toString(), null));
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    messages.add(new Message(null, null, null, line.substring(1).trim()));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (data == null) data = new StringBuilder();
                    else data.append('\n');
                    data.append(line.substring(5).trim());
                }
            }
        } catch (IOException e) {
            // closed by us, or the connection broke: either way the stream is over
        }
        messages.add(END);
    }

    /**
     * The next event message (comments skipped), or null once the server closed the stream; fails after
     * {@code timeout}.
     */
    Message nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Message m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) throw new AssertionError("no SSE message within " + timeout);
            if (m == END) {
                messages.add(END);
                return null;
            }
            if (m.comment() == null) return m;
        }
    }

    /** Every event until the server closes the stream. */
    List<Message> remainingEvents(Duration timeout) throws InterruptedException {
        List<Message> out = new ArrayList<>();
        for (Message m; (m = nextEvent(timeout)) != null; ) out.add(m);
        return out;
    }

    /** True once the server closed the stream (within {@code timeout}). */
    boolean endsWithin(Duration timeout) throws InterruptedException {
        Message m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return m == END;
    }

    /** Drops the connection from the client side. */
    @Override
    public void close() throws IOException {
        response.body().close();
        reader.interrupt();
    }
}

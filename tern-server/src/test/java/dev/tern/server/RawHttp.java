package dev.tern.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what {@code java.net.http} hides or forbids: a forged {@code Host} header, exactly
 * when the response head arrives, a body read as the server sends it.
 */
final class RawHttp implements AutoCloseable {
    /** The status and headers (names lower-cased). */
    record Head(int status, Map<String, String> headers) {}

    private final Socket socket;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /**
     * Sends {@code method path} with {@code headers} ("Name: value"; a Host header replaces the real one) and no body.
     */
    static RawHttp send(int port, String method, String path, String... headers) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        boolean host = false;
        for (String h : headers) host |= h.toLowerCase(Locale.ROOT).startsWith("host:");
        if (!host) request.append("Host: 127.0.0.1:").append(port).append("\r\n");
        for (String h : headers) request.append(h).append("\r\n");
        request.append("Connection: close\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new RawHttp(socket);
    }

    /**
     * Reads the status line and headers; fails with a {@link java.net.SocketTimeoutException} if they do not arrive
     * within {@code timeout}.
     */
    Head head(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            if (System.nanoTime() > deadline)
                throw new java.net.SocketTimeoutException("no response head within " + timeout);
            int b = in.read();
            if (b < 0)
                throw new IOException(
                        "connection closed before the response head: " + bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.write(b);
        }
        String[] lines = bytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0)
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
        }
        return new Head(Integer.parseInt(lines[0].split(" ")[1]), headers);
    }

    /** The rest of the response until the server closes the connection (chunked bodies decoded). */
    String body(Head head, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        byte[] raw = in.readAllBytes();
        if (!"chunked".equalsIgnoreCase(head.headers().get("transfer-encoding")))
            return new String(raw, StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOfCrlf(raw, at);
            int size = Integer.parseInt(
                    new String(raw, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
            if (size == 0) return body.toString(StandardCharsets.UTF_8);
            body.write(raw, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length - 1; i++) if (bytes[i] == '\r' && bytes[i + 1] == '\n') return i;
        throw new IllegalStateException("malformed chunked body");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package dev.tern.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The bench's HTTP/1.1 client: a pool of kept-alive loopback connections, each request written in one write and each
 * response read by its {@code Content-Length} (or its chunks). The client runs in the bench's process, so its CPU and
 * heap count against the server's; the JDK's {@code HttpURLConnection} spent about 15% of the process's CPU at 64
 * callers (header maps, URL objects, an 8 KiB buffer per response) and a third of the heap each workflow allocated. A
 * load generator should cost little next to what it measures, as a real client in its own process would.
 */
final class KeptAliveHttp implements AutoCloseable {
    /** A response: its status code and body. */
    record Response(int status, byte[] body) {}

    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final String host;
    private final int port;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    KeptAliveHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Sends {@code method target} with a JSON {@code body} (or none) and reads the whole response. */
    Response send(String method, String target, byte[] body) throws IOException {
        Connection c = idle.pollFirst();
        boolean reused = c != null;
        if (c == null) c = new Connection(new Socket());
        try {
            if (!reused) c.socket.connect(new InetSocketAddress(host, port));
            Response r = c.exchange(head(method, target, body), body);
            if (c.keepAlive && !closed) idle.addFirst(c);
            else c.close();
            return r;
        } catch (IOException e) {
            c.close();
            // a kept-alive connection the server closed meanwhile, before any of the answer: once more on a new one
            if (reused && !c.answered) return send(method, target, body);
            throw e;
        }
    }

    private String head(String method, String target, byte[] body) {
        StringBuilder h = new StringBuilder(128)
                .append(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: ")
                .append(host)
                .append(':')
                .append(port)
                .append("\r\n");
        if (body != null)
            h.append("Content-Type: application/json\r\nContent-Length: ")
                    .append(body.length)
                    .append("\r\n");
        return h.append("\r\n").toString();
    }

    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idle.poll()) != null; ) c.close();
    }

    /** One socket, its buffered input, and whether the server keeps it open after the last response. */
    private static final class Connection {
        final Socket socket;
        final byte[] buffer = new byte[8 * 1024];
        int start;
        int end;
        boolean keepAlive = true;
        /** Whether any byte of the current exchange's response has arrived. */
        boolean answered;

        private InputStream in;
        private OutputStream out;

        Connection(Socket socket) {
            this.socket = socket;
        }

        Response exchange(String head, byte[] body) throws IOException {
            if (in == null) {
                socket.setTcpNoDelay(true);
                in = socket.getInputStream();
                out = socket.getOutputStream();
            }
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = new byte[h.length + (body == null ? 0 : body.length)];
            System.arraycopy(h, 0, request, 0, h.length);
            if (body != null) System.arraycopy(body, 0, request, h.length, body.length);
            answered = false;
            out.write(request);
            return read();
        }

        private Response read() throws IOException {
            String statusLine = line();
            if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12)
                throw new IOException("not an HTTP/1.1 status line: " + statusLine);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            int headerBytes = 0;
            for (String field; !(field = line()).isEmpty(); ) {
                headerBytes += field.length();
                if (headerBytes > MAX_HEADER_BYTES) throw new IOException("response headers too long");
                int colon = field.indexOf(':');
                if (colon < 0) continue;
                String name = field.substring(0, colon).trim();
                String value = field.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) length = Long.parseLong(value);
                else if (name.equalsIgnoreCase("Transfer-Encoding")) chunked = value.equalsIgnoreCase("chunked");
                else if (name.equalsIgnoreCase("Connection")) keepAlive = !value.equalsIgnoreCase("close");
            }
            if (status == 204 || status == 304) return new Response(status, new byte[0]); // never a body
            if (chunked) return new Response(status, chunks());
            if (length < 0) {
                keepAlive = false; // the body ends when the server closes
                return new Response(status, readToEnd());
            }
            if (length > Integer.MAX_VALUE) throw new IOException("response too large: " + length);
            return new Response(status, exactly((int) length));
        }

        private byte[] chunks() throws IOException {
            var body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // trailers, unused
                    }
                    return body.toByteArray();
                }
                body.writeBytes(exactly(n));
                line();
            }
        }

        private byte[] exactly(int n) throws IOException {
            byte[] b = new byte[n];
            int have = Math.min(n, end - start);
            System.arraycopy(buffer, start, b, 0, have);
            start += have;
            while (have < n) {
                int r = in.read(b, have, n - have);
                if (r < 0) throw new EOFException("connection closed mid-response");
                have += r;
            }
            return b;
        }

        private byte[] readToEnd() throws IOException {
            var body = new ByteArrayOutputStream();
            body.write(buffer, start, end - start);
            start = end;
            body.writeBytes(in.readAllBytes());
            return body.toByteArray();
        }

        /** The next line without its CRLF, as Latin-1. */
        private String line() throws IOException {
            int scanned = 0; // bytes after start already searched for the CRLF
            while (true) {
                for (int i = start + scanned; i + 1 < end; i++) {
                    if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                        String s = new String(buffer, start, i - start, StandardCharsets.ISO_8859_1);
                        start = i + 2;
                        return s;
                    }
                }
                scanned = Math.max(0, end - start - 1);
                if (!fill()) throw new EOFException("connection closed before the response ended");
            }
        }

        /** Reads more into the buffer, compacting it first; false at the end of the stream. */
        private boolean fill() throws IOException {
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.length) throw new IOException("response line longer than " + buffer.length + " bytes");
            int r = in.read(buffer, end, buffer.length - end);
            if (r < 0) return false;
            answered = true;
            end += r;
            return true;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}

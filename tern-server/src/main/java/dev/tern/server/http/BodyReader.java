package dev.tern.server.http;

import io.javalin.config.Key;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;

/**
 * Reads a request body with bounds on size and time, whatever its framing. A {@code Content-Length} over the limit is
 * refused before a byte is read, and a chunked (or any other) body stops being read at limit + 1 bytes: either way a
 * 413, with nothing past the limit buffered. A body must arrive within the request timeout, extended by a second for
 * every {@link #MIN_BYTES_PER_SECOND} bytes received (a slow link with a big body is fine; a client trickling bytes is
 * not): else a 408. A body that breaks off or has broken chunked framing is a 400.
 */
final class BodyReader {
    /** The largest body accepted, in bytes. */
    static final Key<Long> LIMIT = new Key<>("tern.maxBodyBytes");
    /** The time a body may take before the rate allowance; see the class comment. */
    static final Key<Duration> TIMEOUT = new Key<>("tern.bodyTimeout");
    /** Each this many bytes received extend the time a body may take by a second. */
    static final int MIN_BYTES_PER_SECOND = 1024;

    private static final int CHUNK = 16 * 1024;

    private BodyReader() {}

    /** The whole body, at most {@link #LIMIT} bytes. */
    static byte[] read(Context ctx) {
        long limit = ctx.appData(LIMIT);
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) throw ApiException.tooLarge(limit);
        long start = System.nanoTime();
        long allowedNanos = ctx.appData(TIMEOUT).toNanos();
        ByteArrayOutputStream out =
                new ByteArrayOutputStream((int) Math.min(Math.max(declared, 0), Math.min(limit, CHUNK)));
        // a body of declared length is read in a buffer of that length (and one byte, to see its end): most are a few
        // hundred bytes, and a chunk-sized buffer for each was most of what reading a request allocated
        byte[] buffer = new byte[(int) (declared >= 0 ? Math.min(declared + 1, CHUNK) : CHUNK)];
        try {
            InputStream in = ctx.req().getInputStream();
            long total = 0;
            while (true) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit + 1 - total));
                if (n < 0) return out.toByteArray();
                total += n;
                if (total > limit) throw ApiException.tooLarge(limit);
                if (System.nanoTime() - start > allowedNanos + total * 1_000_000_000L / MIN_BYTES_PER_SECOND)
                    throw ApiException.bodyTimedOut();
                out.write(buffer, 0, n);
            }
        } catch (BadMessageException e) {
            throw e.getCode() == 408 ? ApiException.bodyTimedOut() : ApiException.unreadableBody();
        } catch (IOException e) {
            throw timedOut(e) ? ApiException.bodyTimedOut() : ApiException.unreadableBody();
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) return true;
        }
        return false;
    }
}

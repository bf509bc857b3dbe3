package dev.tern.server.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Checks {@code Authorization: Bearer <token>} in constant time (digests are compared, so length leaks nothing). */
final class BearerAuth {
    private final byte[] expected;

    BearerAuth(String token) {
        this.expected = digest(token);
    }

    void check(Context ctx) {
        if (!accepts(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiException.unauthorized();
        }
    }

    /** Whether an {@code Authorization} header value carries the token. */
    boolean accepts(String header) {
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : "";
        return MessageDigest.isEqual(expected, digest(presented));
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

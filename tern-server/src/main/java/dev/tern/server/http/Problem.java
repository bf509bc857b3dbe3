package dev.tern.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tern.engine.Violation;
import java.util.List;

/**
 * An RFC 9457 problem details body. {@code errors} names each invalid field (JSON path and message); {@code errorId}
 * ties a server-side failure to its log line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type, String title, int status, String detail, String instance, List<Violation> errors, String errorId) {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final String BASE = "https://tern.dev/problems/";

    static Problem of(int status, String slug, String title, String detail) {
        return new Problem(BASE + slug, title, status, detail, null, null, null);
    }

    Problem withErrors(List<Violation> value) {
        return new Problem(type, title, status, detail, instance, value.isEmpty() ? null : value, errorId);
    }

    Problem withInstance(String value) {
        return new Problem(type, title, status, detail, value, errors, errorId);
    }

    Problem withErrorId(String value) {
        return new Problem(type, title, status, detail, instance, errors, value);
    }
}

package dev.tern.server.http;

import dev.tern.engine.Violation;
import dev.tern.server.auth.Role;
import java.util.List;

/** A request the HTTP layer rejects before it reaches the engine, answered as a problem. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;
    private final boolean endsConnection;

    private ApiException(Problem problem) {
        this(problem, false);
    }

    private ApiException(Problem problem, boolean endsConnection) {
        super(problem.detail());
        this.problem = problem;
        this.endsConnection = endsConnection;
    }

    public Problem problem() {
        return problem;
    }

    /** True when the rest of the request is left unread: the answer closes the connection instead of draining it. */
    boolean endsConnection() {
        return endsConnection;
    }

    /** The request refused with {@code problem}. */
    static ApiException of(Problem problem) {
        return new ApiException(problem);
    }

    static ApiException badRequest(String field, String message) {
        return new ApiException(Problem.of(400, "invalid-request", "Invalid request", field + ": " + message)
                .withErrors(List.of(new Violation(field, message))));
    }

    static ApiException malformedJson(String detail) {
        return new ApiException(Problem.of(400, "malformed-json", "Malformed JSON", detail));
    }

    static ApiException tooLarge(long limit) {
        return new ApiException(
                Problem.of(
                        413,
                        "payload-too-large",
                        "Payload too large",
                        "the body is larger than this server's limit of " + limit + " bytes"),
                true);
    }

    static ApiException bodyTimedOut() {
        return new ApiException(
                Problem.of(408, "request-timeout", "Request timeout", "the body did not arrive in time"), true);
    }

    static ApiException unreadableBody() {
        return new ApiException(
                Problem.of(
                        400,
                        "unreadable-body",
                        "Unreadable body",
                        "the body could not be read: it ended early or its chunked encoding is invalid"),
                true);
    }

    static ApiException unauthorized() {
        return new ApiException(Problem.of(
                401, "unauthorized", "Unauthorized", "a valid 'Authorization: Bearer <token>' header is required"));
    }

    /** 403: the caller's role is below the one the route needs; the detail names both. */
    static ApiException forbidden(Role needed, Role has) {
        return new ApiException(Problem.of(
                403,
                "forbidden",
                "Forbidden",
                "this route needs the " + needed.wireName() + " role; this token has " + has.wireName()));
    }

    static ApiException notFound(String detail) {
        return new ApiException(Problem.of(404, "not-found", "Not found", detail));
    }
}

package dev.tern.server.http;

import java.util.regex.Pattern;

/**
 * Problems for plain HTTP statuses, from the server's own words: used where no route answered (Jetty refused the
 * request, or a status came without a problem of the route's own).
 */
final class StatusProblems {
    /** A reason from the HTTP parser is shown only when it is a short plain phrase (never a class or package name). */
    private static final Pattern PLAIN_REASON = Pattern.compile("[A-Za-z0-9 =<>'_-]{1,80}");

    private StatusProblems() {}

    /** The problem for {@code status}; {@code reason}, the parser's phrase, is added when it is plain. */
    static Problem of(int status, String reason) {
        String detail = detail(status);
        if (status == 400
                && reason != null
                && PLAIN_REASON.matcher(reason).matches()
                && !reason.equalsIgnoreCase("Bad Request")) {
            detail += " (" + reason.strip() + ")";
        }
        return Problem.of(status, slug(status), title(status), detail);
    }

    /** A 404 (no route for the path) or 405 (the path has no route for the method). */
    static Problem forRoute(int status, String method, String path) {
        String detail = status == 405 ? method + " is not allowed on " + path : "no route for " + method + " " + path;
        return Problem.of(status, slug(status), title(status), detail);
    }

    static String slug(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 408 -> "request-timeout";
            case 413 -> "payload-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 431 -> "headers-too-large";
            case 500 -> "internal";
            case 501 -> "not-implemented";
            case 503 -> "unavailable";
            case 505 -> "http-version-not-supported";
            default -> "http-" + status;
        };
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 408 -> "Request timeout";
            case 413 -> "Payload too large";
            case 414 -> "URI too long";
            case 415 -> "Unsupported media type";
            case 431 -> "Request header fields too large";
            case 500 -> "Internal server error";
            case 501 -> "Not implemented";
            case 503 -> "Service unavailable";
            case 505 -> "HTTP version not supported";
            default -> "HTTP " + status;
        };
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "the request is not valid HTTP, or its URI is malformed";
            case 404 -> "no such resource";
            case 405 -> "the method is not allowed on this resource";
            case 408 -> "the request did not arrive in time";
            case 413 -> "the request is larger than this server accepts";
            case 414 -> "the request URI is longer than this server accepts";
            case 431 -> "the request's header fields are larger than this server accepts";
            case 500 -> "an unexpected error occurred";
            case 505 -> "this server speaks HTTP/1.0 and HTTP/1.1 only";
            default -> "the request could not be served (HTTP " + status + ")";
        };
    }
}

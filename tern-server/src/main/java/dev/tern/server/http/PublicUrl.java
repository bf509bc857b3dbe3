package dev.tern.server.http;

import io.javalin.config.Key;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The server's public base URL, for links it hands out (an agent run's {@code trace_url}): the configured one
 * ({@code --public-url}, {@code TERN_PUBLIC_URL}), else {@code http://<bind host>:<port>}. Never built from a request's
 * {@code Host} or forwarding headers, which any caller can set.
 */
final class PublicUrl {
    static final Key<PublicUrl> KEY = new Key<>("tern.publicUrl");

    private final String configured;
    private volatile String fallback;

    PublicUrl(String configured) {
        this.configured = configured;
    }

    /**
     * An absolute http(s) URL without query or fragment, without its trailing slash; throws IllegalArgumentException
     * otherwise.
     */
    static String validate(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("public URL must be an absolute http(s) URL, was '" + url + "'");
        }
        boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        if (!http
                || uri.getHost() == null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "public URL must be an absolute http(s) URL without user, query or fragment, was '" + url + "'");
        }
        String text = uri.toString();
        while (text.endsWith("/")) text = text.substring(0, text.length() - 1);
        return text;
    }

    /** Sets the default from where the server listens, once it knows its port. */
    void listeningOn(String host, int port) {
        String h = host == null || host.isBlank()
                ? "localhost"
                : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        fallback = "http://" + h + ":" + port;
    }

    String base() {
        return configured != null ? configured : fallback;
    }

    /** Where the run's history can be read: {@code <base>/v1/runs/<runId>/history}. */
    String traceUrl(String runId) {
        return base() + "/v1/runs/" + runId + "/history";
    }

    static PublicUrl of(Context ctx) {
        return ctx.appData(KEY);
    }
}

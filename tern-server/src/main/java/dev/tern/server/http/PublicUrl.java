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
    private final String traceTemplate;
    private volatile String fallback;

    /**
     * @param traceTemplate where a run's trace is read ({@code TERN_TRACE_URL}, e.g.
     *     {@code http://jaeger:16686/trace/{traceId}}), or null
     */
    PublicUrl(String configured, String traceTemplate) {
        this.configured = configured;
        this.traceTemplate = traceTemplate;
    }

    /**
     * A {@code trace_url} template: an absolute http(s) URL holding {@code {traceId}} (and maybe {@code {runId}});
     * throws IllegalArgumentException otherwise.
     */
    static String validateTraceTemplate(String template) {
        if (template == null || template.isBlank()) return null;
        String t = template.strip();
        if (!t.contains("{traceId}"))
            throw new IllegalArgumentException("trace URL template must contain {traceId}, was '" + template + "'");
        String example = t.replace("{traceId}", "0").replace("{runId}", "0");
        URI uri;
        try {
            uri = new URI(example);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("trace URL template must be an absolute http(s) URL, was '" + t + "'");
        }
        boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        if (!http || uri.getHost() == null || uri.getRawUserInfo() != null)
            throw new IllegalArgumentException(
                    "trace URL template must be an absolute http(s) URL without user, was '" + t + "'");
        return t;
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

    /**
     * Where the run's trace can be read: the configured template filled with the run's trace id when it has one, else
     * the run's page in this server's console ({@code <base>/runs/<runId>}).
     */
    String traceUrl(String runId, String traceId) {
        if (traceTemplate != null && traceId != null)
            return traceTemplate.replace("{traceId}", traceId).replace("{runId}", runId);
        return base() + "/runs/" + runId;
    }

    static PublicUrl of(Context ctx) {
        return ctx.appData(KEY);
    }
}

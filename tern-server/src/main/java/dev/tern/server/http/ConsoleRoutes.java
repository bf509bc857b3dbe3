package dev.tern.server.http;

import dev.tern.server.auth.Caller;
import dev.tern.server.auth.TokenRegistry;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console: its page at {@code /} and at each of its own addresses ({@code /runs/{runId}}, {@code /schedules},
 * {@code /definitions}), and its files under {@code /console/} from the jar ({@code src/main/resources/console}). The
 * console is static: it reads and acts through the same public REST and SSE API as any client, with the bearer token
 * the user types in. Its pages and files hold no data, so they are served without a token ({@link #isPublic}); so is
 * {@code /console/session}, which tells the console whether a token is needed and whether the one it holds is right
 * (and then its organisation and role) without answering 401, so that a wrong token is said on the page, not logged as
 * a failed request. Not in the OpenAPI document: none of this is API.
 */
final class ConsoleRoutes {
    private static final String ROOT = "/console/";
    private static final Pattern ASSET = Pattern.compile("[a-z0-9_-]+(/[a-z0-9_-]+)*\\.(html|js|css|svg)");
    private static final Pattern RUN_PAGE = Pattern.compile("/runs/[^/]+");
    private static final Map<String, String> TYPES = Map.of(
            "html",
            "text/html; charset=utf-8",
            "js",
            "text/javascript; charset=utf-8",
            "css",
            "text/css; charset=utf-8",
            "svg",
            "image/svg+xml");
    /**
     * Scripts, styles and images from this origin only; inline scripts never run, and the API is reached on the same
     * origin.
     */
    private static final String CSP =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                    + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private record Asset(byte[] body, String type, String etag) {}

    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();
    private final TokenRegistry tokens;

    ConsoleRoutes(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    /** True for the console's pages and files, which need no token. */
    static boolean isPublic(String path) {
        return path.equals("/")
                || path.equals("/schedules")
                || path.equals("/definitions")
                || path.startsWith(ROOT)
                || RUN_PAGE.matcher(path).matches();
    }

    void register(Javalin app, RouteGuards guards) {
        for (String page : new String[] {"/", "/runs/{runId}", "/schedules", "/definitions"})
            app.get(page, guards.around("get", page, ctx -> serve(ctx, "index.html")));
        app.get(ROOT + "session", guards.around("get", ROOT + "session", this::session));
        app.get(ROOT + "<path>", guards.around("get", ROOT + "<path>", ctx -> serve(ctx, ctx.pathParam("path"))));
    }

    /**
     * {@code {"tokenRequired", "tokenAccepted"}} for the {@code Authorization} header sent, if any, and when it is
     * accepted the caller's {@code org} and {@code role}.
     */
    private void session(Context ctx) {
        Optional<Caller> caller = tokens.authenticate(ctx.header("Authorization"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tokenRequired", tokens.required());
        body.put("tokenAccepted", caller.isPresent());
        caller.ifPresent(c -> {
            body.put("org", c.org());
            body.put("role", c.role().wireName());
        });
        ctx.header("Cache-Control", "no-store");
        ctx.json(body);
    }

    private void serve(Context ctx, String path) {
        Asset asset = ASSET.matcher(path).matches()
                ? cache.computeIfAbsent(path, ConsoleRoutes::load).orElse(null)
                : null;
        if (asset == null) throw ApiException.notFound("no console file " + ROOT + path);
        ctx.header("ETag", asset.etag());
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Content-Type-Options", "nosniff");
        if (asset.type().startsWith("text/html")) {
            ctx.header("Content-Security-Policy", CSP);
            ctx.header("Referrer-Policy", "no-referrer");
        }
        if (asset.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(asset.type());
        ctx.result(asset.body());
    }

    private static Optional<Asset> load(String path) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(ROOT + path)) {
            if (in == null) return Optional.empty();
            byte[] body = in.readAllBytes();
            String type = TYPES.get(path.substring(path.lastIndexOf('.') + 1));
            String etag = "\""
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 12) + "\"";
            return Optional.of(new Asset(body, type, etag));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

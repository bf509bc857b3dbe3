package dev.tern.server.http;

import dev.tern.server.auth.Caller;
import dev.tern.server.auth.TokenRegistry;
import io.javalin.http.Context;

/**
 * Resolves each request's {@link Caller} from its bearer token, once, before any route: it is kept on the request
 * ({@link Caller#of(Context)}), and the route's role is then checked by {@link RouteRegistrar}. A missing or unknown
 * token is a 401 problem, on every path but the open ones ({@code /health}, {@code /health/ready}, the console's pages
 * and files), so an unknown path says 401 before it says 404.
 */
final class Authentication {
    private Authentication() {}

    static void resolve(Context ctx, TokenRegistry tokens) {
        if (RouteRoles.isOpen(ctx.path()) || ConsoleRoutes.isPublic(ctx.path())) return;
        Caller caller = tokens.authenticate(ctx.header("Authorization")).orElse(null);
        if (caller == null) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw ApiException.unauthorized();
        }
        ctx.attribute(Caller.ATTRIBUTE, caller);
    }
}

package dev.tern.server.auth;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;

/**
 * Who made a request: the organisation and role of the token it carried, and the token's name (never the token). The
 * HTTP layer resolves it once per request and keeps it as the request attribute {@link #ATTRIBUTE}, for Javalin
 * handlers ({@link #of(Context)}) and the MCP servlet ({@link #of(HttpServletRequest)}) alike.
 */
public record Caller(String org, Role role, String name) {
    /** The request attribute holding the caller. */
    public static final String ATTRIBUTE = "tern.caller";
    /** The organisation of {@code RESTACK_API_BEARER_TOKEN}, and of every request when auth is off. */
    public static final String DEFAULT_ORG = "default";

    private static final Caller ANONYMOUS = new Caller(DEFAULT_ORG, Role.ADMIN, "anonymous");

    public Caller {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(name, "name");
    }

    /** Every request's caller when no token is configured: an admin of {@value #DEFAULT_ORG}. */
    public static Caller anonymous() {
        return ANONYMOUS;
    }

    /** Whether this caller may use a route that needs {@code needed}. */
    public boolean allows(Role needed) {
        return role.allows(needed);
    }

    /**
     * The caller of a request that passed authentication.
     *
     * @throws IllegalStateException on a path open without a token ({@code /health}, the console's files), which has
     *     none
     */
    public static Caller of(Context ctx) {
        return required(ctx.attribute(ATTRIBUTE), ctx.path());
    }

    /** The caller of a request to {@code /mcp}, or of any other that passed authentication. */
    public static Caller of(HttpServletRequest request) {
        return required(request.getAttribute(ATTRIBUTE), request.getRequestURI());
    }

    private static Caller required(Object attribute, String path) {
        if (attribute instanceof Caller caller) return caller;
        throw new IllegalStateException("no caller was resolved for " + path + ": it is open without a token");
    }
}

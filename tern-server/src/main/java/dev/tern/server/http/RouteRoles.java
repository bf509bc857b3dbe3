package dev.tern.server.http;

import dev.tern.server.auth.Caller;
import dev.tern.server.auth.Role;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The role each route needs, by its method and path template, as {@link RouteRegistrar} registers it: {@code viewer}
 * reads (GET); {@code member} also starts runs, sends events, answers, cancels and forks (POST, PUT and DELETE on
 * {@code /v1/runs…} (and {@code /v1/runs:batch}), {@code /api/agents…}, {@code /api/workflows…}); {@code admin} also
 * manages schedules and release channels (POST, PUT and DELETE under {@code /v1/schedules} and {@code /v1/channels})
 * and sees a run's webhooks and {@code /metrics}. {@code /health} and {@code /health/ready} are open to anyone, without
 * a token. A route this class has no rule for cannot be registered, so no route is added without a role.
 */
final class RouteRoles {
    private static final Pattern WEBHOOKS = Pattern.compile("/v1/runs/\\{[^/}]+}/webhooks");
    /** Paths at and under which a GET is a plain read. */
    private static final String[] READS = {
        "/v1/runs", "/v1/threads", "/v1/definitions", "/v1/schedules", "/v1/channels", "/api/agents", "/api/workflows"
    };
    /** Paths at and under which POST, PUT and DELETE act on runs. */
    private static final String[] RUNS = {"/v1/runs", "/api/agents", "/api/workflows"};

    private RouteRoles() {}

    /** {@code /health} and {@code /health/ready}: open to load balancers and orchestrators, no token. */
    static boolean isOpen(String path) {
        return path.equals("/health") || path.equals("/health/ready");
    }

    /**
     * The role a route needs, or null for an open route ({@link #isOpen}).
     *
     * @param method get, post, put or delete (any case)
     * @param path the route's template, e.g. {@code /v1/runs/{runId}/cancel}
     * @throws IllegalArgumentException if there is no rule for the route: add one here
     */
    static Role required(String method, String path) {
        String m = method.toLowerCase(Locale.ROOT);
        if (m.equals("get")) {
            if (isOpen(path)) return null;
            if (path.equals("/metrics") || WEBHOOKS.matcher(path).matches()) return Role.ADMIN;
            if (path.equals("/openapi.json") || underAny(path, READS)) return Role.VIEWER;
        } else if (m.equals("post") || m.equals("put") || m.equals("delete")) {
            if (underAny(path, "/v1/schedules", "/v1/channels")) return Role.ADMIN;
            if (underAny(path, RUNS)) return Role.MEMBER;
        }
        throw new IllegalArgumentException("no role is declared for " + method.toUpperCase(Locale.ROOT) + " " + path
                + ": add a rule to " + RouteRoles.class.getSimpleName());
    }

    /** Refuses the request with 403 unless its caller has {@code needed}. */
    static void check(Caller caller, Role needed) {
        if (!caller.allows(needed)) throw ApiException.forbidden(needed, caller.role());
    }

    /** Whether the path is one of the bases, under one, or a custom method of one ({@code /v1/runs:batch}). */
    private static boolean underAny(String path, String... bases) {
        for (String base : bases)
            if (path.equals(base) || path.startsWith(base + "/") || path.startsWith(base + ":")) return true;
        return false;
    }
}

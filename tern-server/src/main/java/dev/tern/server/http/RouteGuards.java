package dev.tern.server.http;

import dev.tern.server.telemetry.HttpTracing;
import io.javalin.http.Handler;
import java.util.Locale;

/**
 * What every route does before its own handler, once the router matched it: names the request's span after the route
 * template, refuses text the store could not keep (in the path, the query and the headers), and scopes the request to
 * the caller's organisation (a run of another one is not found).
 *
 * <p>Each route's handler is wrapped, rather than one Javalin {@code beforeMatched} handler doing it for all: with a
 * {@code beforeMatched} handler registered, Javalin matches the path against the routes' patterns twice more per
 * request (the route's roles, whether any route will match) and extracts its parameters once more; that step took 5.5%
 * of the process's CPU through REST, the checks themselves 1.5% of it (JFR, runs scheduled and awaited with two
 * requests).
 */
final class RouteGuards {
    private final RunOrgs runOrgs;

    RouteGuards(RunOrgs runOrgs) {
        this.runOrgs = runOrgs;
    }

    /** {@code handler} of the route {@code method path}, run after the guards. */
    Handler around(String method, String path, Handler handler) {
        String upper = method.toUpperCase(Locale.ROOT);
        return ctx -> {
            HttpTracing.routeMatched(upper, path);
            RequestTextGuard.check(ctx);
            OrgScope.check(ctx, runOrgs);
            handler.handle(ctx);
        };
    }
}

package dev.tern.server.http;

import dev.tern.server.auth.Caller;
import dev.tern.server.auth.Role;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Registers routes on Javalin and remembers them, so tests can hold the OpenAPI document to every route. Each route
 * runs the {@link RouteGuards} first, then gets the role {@link RouteRoles} declares for it: its handler runs only for
 * a caller with that role, others get 403; a route with no declared role is refused here, at startup.
 */
final class RouteRegistrar {
    private final Javalin app;
    private final RouteGuards guards;
    private final List<Route> routes = new ArrayList<>();

    RouteRegistrar(Javalin app, RouteGuards guards) {
        this.app = app;
        this.guards = guards;
    }

    /**
     * A GET route, and the same route for HEAD: Javalin answers a HEAD it has no route for with 200 whenever a GET
     * route matches, without running it, so a HEAD of a run that does not exist said 200 where its GET says 404. The
     * handler runs for both; Jetty sends no body for a HEAD (a handler that streams ends its HEAD after the headers).
     */
    void get(String path, Handler handler) {
        Handler checked = add("get", path, handler, app::get);
        app.head(path, guards.around("head", path, checked));
    }

    void post(String path, Handler handler) {
        add("post", path, handler, app::post);
    }

    void put(String path, Handler handler) {
        add("put", path, handler, app::put);
    }

    void delete(String path, Handler handler) {
        add("delete", path, handler, app::delete);
    }

    /** Registers the route behind its guards; returns its handler behind the role check alone. */
    private Handler add(String method, String path, Handler handler, BiConsumer<String, Handler> register) {
        Role needed = RouteRoles.required(method, path);
        routes.add(new Route(method, path));
        Handler checked = needed == null
                ? handler
                : ctx -> {
                    RouteRoles.check(Caller.of(ctx), needed);
                    handler.handle(ctx);
                };
        register.accept(path, guards.around(method, path, checked));
        return checked;
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }
}

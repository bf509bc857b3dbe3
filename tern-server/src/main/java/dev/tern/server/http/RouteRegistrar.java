package dev.tern.server.http;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;

/** Registers routes on Javalin and remembers them, so tests can hold the OpenAPI document to every route. */
final class RouteRegistrar {
    private final Javalin app;
    private final List<Route> routes = new ArrayList<>();

    RouteRegistrar(Javalin app) {
        this.app = app;
    }

    void get(String path, Handler handler) {
        routes.add(new Route("get", path));
        app.get(path, handler);
    }

    void post(String path, Handler handler) {
        routes.add(new Route("post", path));
        app.post(path, handler);
    }

    void put(String path, Handler handler) {
        routes.add(new Route("put", path));
        app.put(path, handler);
    }

    void delete(String path, Handler handler) {
        routes.add(new Route("delete", path));
        app.delete(path, handler);
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }
}

package dev.tern.server.http;

import io.javalin.Javalin;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the server's first requests safe to arrive together. Javalin 6.7 builds its servlet's per-request settings on
 * the first request, in a lazy value that is not safe for concurrent first use: requests racing at start-up failed with
 * a NullPointerException inside Javalin, answered 500 (the benchmark met it, 64 clients calling the moment the server
 * listened). {@link #prepare} builds that value once, before the server listens; everything it reads is set when the
 * app is created.
 */
final class FirstRequests {
    private static final Logger log = LoggerFactory.getLogger(FirstRequests.class);
    private static final String GETTER = "getServletContextConfig";
    private static final String DELEGATE = "servletContextConfig$delegate";

    private FirstRequests() {}

    /** Builds the per-request settings of {@code app}'s servlet now; if this Javalin has none such, changes nothing. */
    static void prepare(Javalin app) {
        Object servlet = app.javalinServlet();
        try {
            Method getter = servlet.getClass().getDeclaredMethod(GETTER);
            getter.setAccessible(true);
            getter.invoke(servlet);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn(
                    "could not prepare the HTTP servlet before its first requests ({}); concurrent first requests "
                            + "may fail once",
                    e.toString());
        }
    }

    /** Whether {@code app}'s servlet has its per-request settings already (false if this Javalin cannot tell). */
    static boolean prepared(Javalin app) {
        Object servlet = app.javalinServlet();
        try {
            Field delegate = servlet.getClass().getDeclaredField(DELEGATE);
            delegate.setAccessible(true);
            Object lazy = delegate.get(servlet);
            return (Boolean) lazy.getClass().getMethod("isInitialized").invoke(lazy);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}

package dev.tern.server.http;

import io.javalin.http.Context;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;

/**
 * Refuses a matched request whose path parameters, query parameters or header values hold text a store cannot keep
 * ({@link StorableText}), with a 400 naming the parameter or header, before any of it reaches the engine (where
 * PostgreSQL would fail on it as if it were down).
 */
final class RequestTextGuard {
    private RequestTextGuard() {}

    static void check(Context ctx) {
        for (Map.Entry<String, String> param : ctx.pathParamMap().entrySet())
            StorableText.require(param.getKey(), param.getValue());
        for (Map.Entry<String, List<String>> param : ctx.queryParamMap().entrySet()) {
            String name = param.getKey();
            String problem = StorableText.problem(name);
            if (problem != null)
                throw ApiException.badRequest(JsonPaths.escaped(name), "a query parameter name " + problem);
            for (String value : param.getValue()) StorableText.require(name, value);
        }
        Request jetty = Request.getBaseRequest(ctx.req());
        if (jetty != null) {
            // the parsed header lines themselves: the servlet API's names-then-values copies each into new lists
            for (HttpField header : jetty.getHttpFields()) StorableText.require(header.getName(), header.getValue());
            return;
        }
        for (String header : Collections.list(ctx.req().getHeaderNames())) {
            for (String value : Collections.list(ctx.req().getHeaders(header))) StorableText.require(header, value);
        }
    }
}

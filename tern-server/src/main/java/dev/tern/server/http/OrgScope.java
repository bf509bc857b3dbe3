package dev.tern.server.http;

import dev.tern.engine.RequestedBy;
import dev.tern.engine.RunNotFoundException;
import dev.tern.server.auth.Caller;
import io.javalin.http.Context;

/**
 * Keeps each organisation to its own objects: a run named in a route's path ({@code {runId}}, {@code {otherRunId}})
 * that belongs to another organisation does not exist for the caller (404, never 403, which would tell it exists), and
 * what the request does is recorded as done by the caller's token ({@link RequestedBy}). Lists, schedules and new runs
 * take the caller's organisation where they are read or made ({@link #org}).
 */
final class OrgScope {
    private static final String REQUESTED_BY = "tern.requestedBy";

    private OrgScope() {}

    /** Before a matched route: hides other organisations' runs, and opens the request's {@link RequestedBy}. */
    static void check(Context ctx, RunOrgs runs) {
        Caller caller = caller(ctx);
        // auth off: every request is the anonymous admin of the default organisation, nothing to hide from it, and
        // no run is read twice on the way to its route
        if (caller == null || caller.equals(Caller.anonymous())) return;
        for (String param : new String[] {"runId", "otherRunId"}) {
            if (!ctx.pathParamMap().containsKey(param)) continue;
            String runId = ctx.pathParam(param);
            if (runs.of(runId).filter(org -> !org.equals(caller.org())).isPresent())
                throw new RunNotFoundException(runId);
        }
        ctx.attribute(REQUESTED_BY, RequestedBy.open(caller.name()));
    }

    /** After every request: closes what {@link #check} opened. */
    static void done(Context ctx) {
        RequestedBy.Scope scope = ctx.attribute(REQUESTED_BY);
        if (scope != null) scope.close();
    }

    /** The caller's organisation ({@link Caller#DEFAULT_ORG} on open paths, which have no caller). */
    static String org(Context ctx) {
        Caller caller = caller(ctx);
        return caller == null ? Caller.DEFAULT_ORG : caller.org();
    }

    private static Caller caller(Context ctx) {
        return ctx.attribute(Caller.ATTRIBUTE);
    }
}

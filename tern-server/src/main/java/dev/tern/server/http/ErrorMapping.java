package dev.tern.server.http;

import dev.tern.engine.InteractionNotFoundException;
import dev.tern.engine.InvalidInputException;
import dev.tern.engine.ModelNotConfiguredException;
import dev.tern.engine.QuotaExceededException;
import dev.tern.engine.RunNotFoundException;
import dev.tern.engine.RunStateException;
import dev.tern.engine.ScheduleExistsException;
import dev.tern.engine.ScheduleNotFoundException;
import dev.tern.engine.StoreUnavailableException;
import dev.tern.engine.TernJson;
import dev.tern.engine.UnknownDefinitionException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.UUID;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps what can go wrong in a request to an RFC 9457 problem: the engine's typed errors, bad HTTP, the unexpected. */
final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {}

    static void install(Javalin app, long maxBodyBytes) {
        app.exception(ApiException.class, (e, ctx) -> {
            if (e.endsConnection()) ctx.header("Connection", "close");
            problem(ctx, e.problem());
        });
        app.exception(
                UnknownDefinitionException.class,
                (e, ctx) -> problem(ctx, Problem.of(404, "unknown-definition", "Not found", e.getMessage())));
        app.exception(
                RunNotFoundException.class,
                (e, ctx) -> problem(ctx, Problem.of(404, "run-not-found", "Not found", e.getMessage())));
        app.exception(
                InteractionNotFoundException.class,
                (e, ctx) -> problem(ctx, Problem.of(404, "interaction-not-found", "Not found", e.getMessage())));
        app.exception(
                ScheduleNotFoundException.class,
                (e, ctx) -> problem(ctx, Problem.of(404, "schedule-not-found", "Not found", e.getMessage())));
        app.exception(QuotaExceededException.class, (e, ctx) -> {
            ctx.header("Retry-After", String.valueOf(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
            problem(ctx, Problem.of(429, "quota-exceeded", "Too many requests", e.getMessage()));
        });
        app.exception(
                ScheduleExistsException.class,
                (e, ctx) -> problem(ctx, Problem.of(409, "schedule-exists", "Conflict", e.getMessage())));
        app.exception(
                RunStateException.class,
                (e, ctx) -> problem(ctx, Problem.of(409, "run-state", "Conflict", e.getMessage())));
        app.exception(
                InvalidInputException.class,
                (e, ctx) -> problem(
                        ctx,
                        Problem.of(400, "invalid-input", "Invalid input", e.getMessage())
                                .withErrors(e.violations())));
        app.exception(
                ModelNotConfiguredException.class,
                (e, ctx) -> problem(
                        ctx, Problem.of(503, "model-not-configured", "No language model configured", e.getMessage())));
        app.exception(StoreUnavailableException.class, (e, ctx) -> {
            log.warn("store unavailable on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            if (e.diskFull()) {
                problem(
                        ctx,
                        Problem.of(
                                503,
                                "store-full",
                                "Service unavailable",
                                "the disk holding the database is full; nothing was stored. Retry once space has "
                                        + "been freed on the server"));
            } else {
                problem(
                        ctx,
                        Problem.of(
                                503,
                                "store-unavailable",
                                "Service unavailable",
                                "the database is unavailable; retry later"));
            }
        });
        app.exception(
                HttpResponseException.class,
                (e, ctx) -> problem(
                        ctx,
                        switch (e.getStatus()) {
                            case 404, 405 ->
                                StatusProblems.forRoute(
                                        e.getStatus(), ctx.method().name(), ctx.path());
                            case 413 -> ApiException.tooLarge(maxBodyBytes).problem();
                            default -> StatusProblems.of(e.getStatus(), null);
                        }));
        app.exception(BadMessageException.class, (e, ctx) -> problem(ctx, StatusProblems.of(e.getCode(), null)));
        app.exception(Exception.class, (e, ctx) -> {
            String errorId = UUID.randomUUID().toString();
            log.error("unexpected error {} on {} {}", errorId, ctx.method(), ctx.path(), e);
            problem(
                    ctx,
                    Problem.of(
                                    500,
                                    "internal",
                                    "Internal server error",
                                    "an unexpected error occurred; quote errorId when reporting it")
                            .withErrorId(errorId));
        });
        app.error(404, ctx -> {
            if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                problem(ctx, StatusProblems.forRoute(404, ctx.method().name(), ctx.path()));
            }
        });
        app.error(405, ctx -> {
            if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                problem(ctx, StatusProblems.forRoute(405, ctx.method().name(), ctx.path()));
            }
        });
    }

    private static void problem(Context ctx, Problem problem) {
        ctx.status(problem.status());
        ctx.result(TernJson.write(problem.withInstance(ctx.path())));
        ctx.contentType(Problem.CONTENT_TYPE);
    }
}

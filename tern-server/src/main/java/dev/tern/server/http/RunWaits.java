package dev.tern.server.http;

import dev.tern.engine.RunDetail;
import dev.tern.engine.RunKind;
import dev.tern.engine.RunRecord;
import dev.tern.engine.TernEngine;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The {@code waitSeconds} query parameter of the GET routes of one run and of {@code POST /v1/runs}: a long-poll. An
 * unfinished run is answered when it ends, or after that many seconds as it then stands, so a client waiting for a
 * result makes one request instead of polling (with {@code POST}, one request schedules the run and answers its
 * result).
 */
final class RunWaits {
    static final int MAX_WAIT_SECONDS = 60;

    private RunWaits() {}

    /**
     * The run if it exists and {@code is} accepts its kind and name, as it stands once it ended or the requested wait
     * passed (at once without {@code waitSeconds}); a run executing on this node is not read before it ends.
     */
    static Optional<RunRecord> awaitIfAsked(
            TernEngine engine, Context ctx, String runId, BiPredicate<RunKind, String> is) {
        Duration wait = Duration.ofSeconds(requestedSeconds(ctx));
        try {
            return engine.awaitRun(runId, is, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return engine.run(runId).filter(run -> is.test(run.kind(), run.name()));
        }
    }

    /**
     * {@link #awaitIfAsked} for a run's view: the run with {@code parts} once it ended or the wait asked for passed, in
     * one read of it all ({@link TernEngine#detail}) when no wait is asked.
     */
    static Optional<RunDetail> awaitDetailIfAsked(
            TernEngine engine, Context ctx, String runId, java.util.Set<RunDetail.Part> parts) {
        if (requestedSeconds(ctx) > 0
                && awaitIfAsked(engine, ctx, runId, (kind, name) -> true).isEmpty()) {
            return Optional.empty();
        }
        return engine.detail(runId, parts);
    }

    /** The {@code waitSeconds} asked for (0 without the parameter); a 400 naming it when it is not 0 to 60. */
    static int requestedSeconds(Context ctx) {
        String raw = ctx.queryParam("waitSeconds");
        if (raw == null) return 0;
        int seconds;
        try {
            seconds = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "waitSeconds",
                    "must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS + ", was '" + raw + "'");
        }
        if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
            throw ApiException.badRequest("waitSeconds", "must be from 0 to " + MAX_WAIT_SECONDS + ", was " + seconds);
        }
        return seconds;
    }

    /** The run once it ended or {@code seconds} passed, as it then stands. */
    static RunRecord await(TernEngine engine, RunRecord run, int seconds) {
        if (seconds == 0 || run.status().isTerminal()) return run;
        try {
            return engine.awaitCompletion(run.id(), Duration.ofSeconds(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return engine.requireRun(run.id());
        }
    }
}

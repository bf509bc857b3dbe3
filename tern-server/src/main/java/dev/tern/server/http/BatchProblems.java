package dev.tern.server.http;

import dev.tern.engine.BatchItemException;
import dev.tern.engine.IdempotencyConflictException;
import dev.tern.engine.InvalidInputException;
import dev.tern.engine.UnknownDefinitionException;
import dev.tern.engine.Violation;
import io.javalin.http.Context;
import java.util.List;

/**
 * Problems of {@code POST /v1/runs:batch} that concern one run of it: the problem {@code POST /v1/runs} would answer
 * for that run alone, each field named from the batch's root ({@code $.name} of run 3 is {@code $.runs[3].name}).
 */
final class BatchProblems {
    private BatchProblems() {}

    /** Run {@code index}'s body refused while it was read: fields are paths in that body. */
    static ApiException at(int index, ApiException e) {
        Problem p = e.problem();
        List<Violation> errors = p.errors() == null ? List.of() : inBody(index, p.errors());
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : "runs[" + index + "]: " + p.detail();
        Problem moved = new Problem(p.type(), p.title(), p.status(), detail, null, null, null);
        return ApiException.of(moved.withErrors(errors));
    }

    static InvalidInputException at(int index, InvalidInputException e) {
        return new InvalidInputException("runs[" + index + "]: " + e.getMessage(), inBody(index, e.violations()));
    }

    /** Answers a run the engine refused (as {@code POST /v1/runs} would), or throws the problem to answer. */
    static void answer(Context ctx, BatchItemException e) {
        int i = e.index();
        String at = "$.runs[" + i + "]";
        switch (e.reason()) {
            case IdempotencyConflictException conflict ->
                RunOptionsBody.conflict(ctx, conflict, at + ".name", at + ".input");
            case InvalidInputException invalid -> {
                // the input's schema names paths in the input ($.x); the options are named bare (deadlineAt)
                List<Violation> errors = invalid.violations().stream()
                        .map(v -> new Violation(
                                v.field().startsWith("$")
                                        ? at + ".input" + v.field().substring(1)
                                        : at + "." + v.field(),
                                v.message()))
                        .toList();
                throw new InvalidInputException("runs[" + i + "]: " + invalid.getMessage(), errors);
            }
            case UnknownDefinitionException unknown ->
                throw ApiException.of(Problem.of(404, "unknown-definition", "Not found", e.getMessage())
                        .withErrors(List.of(new Violation(at + ".name", unknown.getMessage()))));
            default -> throw e.reason();
        }
    }

    private static List<Violation> inBody(int index, List<Violation> violations) {
        String at = "$.runs[" + index + "]";
        return violations.stream()
                .map(v -> new Violation(
                        v.field().startsWith("$") ? at + v.field().substring(1) : at + "." + v.field(), v.message()))
                .toList();
    }
}

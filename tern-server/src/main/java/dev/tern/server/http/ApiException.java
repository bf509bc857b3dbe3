package dev.tern.server.http;

import dev.tern.engine.Violation;
import java.util.List;

/** A request the HTTP layer rejects before it reaches the engine, answered as a problem. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Problem problem;

  private ApiException(Problem problem) {
    super(problem.detail());
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  static ApiException badRequest(String field, String message) {
    return new ApiException(Problem.of(400, "invalid-request", "Invalid request", field + ": " + message)
        .withErrors(List.of(new Violation(field, message))));
  }

  static ApiException malformedJson(String detail) {
    return new ApiException(Problem.of(400, "malformed-json", "Malformed JSON", detail));
  }

  static ApiException unauthorized() {
    return new ApiException(Problem.of(401, "unauthorized", "Unauthorized", "a valid 'Authorization: Bearer <token>' header is required"));
  }

  static ApiException notFound(String detail) {
    return new ApiException(Problem.of(404, "not-found", "Not found", detail));
  }
}

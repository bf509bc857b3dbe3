package dev.tern.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.tern.agents.internal.AgentJson;
import dev.tern.sdk.NonRetryableException;
import dev.tern.sdk.TypedError;

/**
 * What a failed model call is called where clients read it: a request the server refused (bad key, unknown model, bad
 * request) is not retried; a timeout, a rate limit or a server error is. The message is the provider's own, taken out
 * of its error JSON when it sent one.
 */
final class ModelErrors {
    /** A model call that failed in a way worth retrying. */
    static final class ModelCallException extends RuntimeException implements TypedError {
        private static final long serialVersionUID = 1L;
        private final String errorType;

        ModelCallException(String errorType, String message, Throwable cause) {
            super(message, cause);
            this.errorType = errorType;
        }

        @Override
        public String errorType() {
            return errorType;
        }
    }

    private ModelErrors() {}

    static RuntimeException translate(Throwable error) {
        String message = message(error);
        if (error instanceof NonRetriableException) {
            String type = error instanceof AuthenticationException
                    ? "ModelAuthentication"
                    : error instanceof ModelNotFoundException
                            ? "ModelNotFound"
                            : error instanceof ContentFilteredException
                                    ? "ModelContentFiltered"
                                    : "ModelRequestRefused";
            return new NonRetryableException(type, message, error);
        }
        String type = error instanceof RateLimitException
                ? "ModelRateLimited"
                : error instanceof TimeoutException
                        ? "ModelTimeout"
                        : error instanceof InternalServerException ? "ModelServerError" : "ModelUnavailable";
        return new ModelCallException(type, message, error);
    }

    /** The provider's {@code error.message} when the body is OpenAI's error JSON, else the exception's message. */
    static String message(Throwable error) {
        String raw = error.getMessage() == null ? "the model server did not answer" : error.getMessage();
        JsonNode json = raw.startsWith("{") ? AgentJson.parseOrNull(raw) : null;
        if (json != null && json.path("error").path("message").isTextual())
            return json.path("error").path("message").asText();
        return raw;
    }
}

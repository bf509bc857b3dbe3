package dev.tern.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * A question a run asks a human: the {@code prompt} shown to them, the JSON Schema their answer must satisfy
 * ({@code null}: the schema generated from the answer type), and how long to wait ({@code null}: for ever). While it is
 * open the run is {@code awaiting-human} and holds no thread.
 */
public record HumanQuestion(String prompt, String answerSchemaJson, Duration timeout) {

    public HumanQuestion {
        Objects.requireNonNull(prompt, "prompt");
        if (prompt.isBlank()) throw new IllegalArgumentException("prompt must not be blank");
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    public static HumanQuestion of(String prompt) {
        return new HumanQuestion(prompt, null, null);
    }

    public HumanQuestion withAnswerSchema(String schemaJson) {
        return new HumanQuestion(prompt, schemaJson, timeout);
    }

    public HumanQuestion withTimeout(Duration value) {
        return new HumanQuestion(prompt, answerSchemaJson, value);
    }
}

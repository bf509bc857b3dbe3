package dev.tern.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a recorded step stands: {@code COMPLETED} (its output recorded), {@code FAILED} (its error recorded, retries
 * exhausted), or {@code WAITING} (a durable wait that has begun: a sleep whose wake time is in its output, a question
 * to a human). Stored and shown by its {@link #wireName()}.
 */
public enum StepStatus {
    COMPLETED,
    FAILED,
    WAITING;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The status as the API and the database spell it: {@code completed}, {@code failed}, {@code waiting}. */
    public String wireName() {
        return wire;
    }

    /** The wire name too: text built from a step reads as it did when the status was a string. */
    @Override
    public String toString() {
        return wire;
    }

    public static Optional<StepStatus> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }
}

package dev.tern.engine;

import java.util.Locale;

/** What a recorded step was: a function call, a durable wait, or a recorded source of non-determinism. */
public enum StepKind {
    FUNCTION,
    SLEEP,
    EVENT,
    NOW,
    RANDOM,
    UUID,
    HUMAN,
    CHILD,
    PARALLEL,
    /** The run's budget after a raise (its output), recorded so replay applies the same raise. */
    BUDGET,
    /** An agent's state carried over from the run it continues (always step 0 of that run). */
    STATE,
    /** A patch marker: the execution that recorded it took the new code path of {@code ctx.patched(id)}. */
    PATCH;

    private final String wire = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wire;
    }

    public static StepKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}

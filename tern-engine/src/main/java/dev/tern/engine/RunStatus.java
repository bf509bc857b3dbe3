package dev.tern.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The life of a run. {@code RUNNING} includes runs suspended on a timer or an event. */
public enum RunStatus {
    QUEUED,
    RUNNING,
    AWAITING_HUMAN,
    COMPLETED,
    FAILED,
    CANCELLED;

    private final String wire = name().toLowerCase(Locale.ROOT).replace('_', '-');

    public String wireName() {
        return wire;
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    public static Optional<RunStatus> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }
}

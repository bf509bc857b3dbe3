package dev.tern.engine;

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

    private static final RunStatus[] ALL = values();

    /** The status whose wire name is {@code value}, if any (read for every run row: a loop, not a stream). */
    public static Optional<RunStatus> fromWire(String value) {
        for (RunStatus s : ALL) if (s.wire.equals(value)) return Optional.of(s);
        return Optional.empty();
    }
}

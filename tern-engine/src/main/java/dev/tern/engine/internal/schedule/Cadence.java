package dev.tern.engine.internal.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * When a schedule fires: either a UNIX cron expression (5 fields, parsed by cron-utils) read in a time zone, or a fixed
 * interval whose phase is anchored at the schedule's creation, so every node computes the same fire times.
 */
public final class Cadence {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private static final Duration MAX_INTERVAL = Duration.ofDays(3650);

    private final ExecutionTime cron;
    private final Duration interval;
    private final ZoneId zone;

    private Cadence(ExecutionTime cron, Duration interval, ZoneId zone) {
        this.cron = cron;
        this.interval = interval;
        this.zone = zone;
    }

    /** Parses a UNIX cron expression; throws {@link IllegalArgumentException} saying what is wrong. */
    public static Cadence cron(String expression, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (expression == null || expression.isBlank()) throw new IllegalArgumentException("is empty");
        Cron parsed;
        try {
            parsed = UNIX.parse(expression.trim()).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() == null ? "cannot be parsed" : e.getMessage(), e);
        }
        return new Cadence(ExecutionTime.forCron(parsed), null, zone);
    }

    /** The cadence of a stored schedule: its cron expression in its zone, else its interval. */
    public static Cadence of(String cron, Duration interval, String timezone) {
        return cron != null ? cron(cron, ZoneId.of(timezone == null ? "UTC" : timezone)) : every(interval);
    }

    /** Every {@code interval}: at least one second, at most ten years. */
    public static Cadence every(Duration interval) {
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0)
            throw new IllegalArgumentException("must be at least 1 second");
        if (interval.compareTo(MAX_INTERVAL) > 0)
            throw new IllegalArgumentException("must be at most " + MAX_INTERVAL.toSeconds() + " seconds (10 years)");
        return new Cadence(null, interval, ZoneId.of("UTC"));
    }

    /**
     * The first fire strictly after {@code after}; an interval counts whole periods from {@code anchor}. Empty when a
     * cron expression never matches again (e.g. 30 February).
     */
    public Optional<Instant> nextAfter(Instant after, Instant anchor) {
        if (interval != null) {
            long period = interval.toMillis();
            long elapsed = after.toEpochMilli() - anchor.toEpochMilli();
            long periods = elapsed < 0 ? 1 : elapsed / period + 1;
            return Optional.of(anchor.plusMillis(periods * period));
        }
        return cron.nextExecution(ZonedDateTime.ofInstant(after, zone))
                .map(ZonedDateTime::toInstant)
                .filter(t -> t.isAfter(after));
    }
}

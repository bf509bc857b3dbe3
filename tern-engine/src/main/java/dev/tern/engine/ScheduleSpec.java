package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * A schedule to create: start workflow {@code workflow} with {@code input} on a UNIX cron expression (5 fields, read in
 * {@code timezone}, an IANA zone id; UTC when null) or every {@code interval} (at least one second), exactly one of the
 * two. {@code id} is optional (one is generated); a schedule created {@code paused} does not fire until resumed; its
 * runs start on the revision {@code releaseChannel} names (null: the channel of the node that fires it). Validated by
 * {@link Schedules#create}, which names every bad field.
 */
public record ScheduleSpec(
        String id,
        String workflow,
        JsonNode input,
        String cron,
        Duration interval,
        String timezone,
        boolean paused,
        String releaseChannel) {

    public ScheduleSpec(
            String id,
            String workflow,
            JsonNode input,
            String cron,
            Duration interval,
            String timezone,
            boolean paused) {
        this(id, workflow, input, cron, interval, timezone, paused, null);
    }

    /** Fires on the cron expression, in UTC. */
    public static ScheduleSpec cron(String workflow, JsonNode input, String expression) {
        return new ScheduleSpec(null, workflow, input, expression, null, null, false);
    }

    /** Fires every {@code interval}, first one interval after creation. */
    public static ScheduleSpec every(String workflow, JsonNode input, Duration interval) {
        return new ScheduleSpec(null, workflow, input, null, interval, null, false);
    }

    public ScheduleSpec withId(String value) {
        return new ScheduleSpec(value, workflow, input, cron, interval, timezone, paused, releaseChannel);
    }

    public ScheduleSpec withTimezone(String value) {
        return new ScheduleSpec(id, workflow, input, cron, interval, value, paused, releaseChannel);
    }

    public ScheduleSpec withPaused(boolean value) {
        return new ScheduleSpec(id, workflow, input, cron, interval, timezone, value, releaseChannel);
    }

    public ScheduleSpec withReleaseChannel(String value) {
        return new ScheduleSpec(id, workflow, input, cron, interval, timezone, paused, value);
    }
}

package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * A schedule as stored. {@code nextFireAt} is when it fires next (kept while paused, recomputed on resume);
 * {@code lastRunId} is the run its last fire started, and {@code lastError} says why the last fire started none (the
 * workflow was removed or its input no longer fits), else null. Exactly one of {@code cron} and {@code interval} is
 * set. {@code releaseChannel} (or null) names the channel its runs start by.
 */
public record ScheduleRecord(
        String id,
        String workflow,
        JsonNode input,
        String cron,
        Duration interval,
        String timezone,
        boolean paused,
        Instant nextFireAt,
        Instant lastFireAt,
        String lastRunId,
        String lastError,
        long fireCount,
        Instant createdAt,
        Instant updatedAt,
        String orgId,
        String releaseChannel) {

    public ScheduleRecord {
        if (orgId == null) orgId = RunRecord.DEFAULT_ORG;
    }

    /** The same schedule under the id {@code value} (an organisation's own name for it). */
    public ScheduleRecord withId(String value) {
        return new ScheduleRecord(
                value,
                workflow,
                input,
                cron,
                interval,
                timezone,
                paused,
                nextFireAt,
                lastFireAt,
                lastRunId,
                lastError,
                fireCount,
                createdAt,
                updatedAt,
                orgId,
                releaseChannel);
    }

    /** The idempotency key of the run started by the fire due at {@code fireAt}: one fire, one run. */
    public static String idempotencyKey(String scheduleId, Instant fireAt) {
        return idempotencyKeyPrefix(scheduleId) + fireAt.toEpochMilli();
    }

    /** What the idempotency keys of every run the schedule started begin with. */
    public static String idempotencyKeyPrefix(String scheduleId) {
        return "sched:" + scheduleId + ":";
    }
}

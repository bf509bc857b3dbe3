package dev.tern.engine.internal.store;

import dev.tern.engine.RunRecord;
import dev.tern.engine.ScheduleRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where schedules live, next to the runs they start. A node takes due schedules with {@link #claimDue} (rows locked
 * with {@code SKIP LOCKED} on PostgreSQL, so nodes never wait on each other), starts each fire's run, and moves the
 * schedule on with {@link #recordFire}, which only applies if nobody moved it meanwhile.
 */
public interface ScheduleStore {

    /** Inserts the schedule; false if its id is taken. */
    CompletableFuture<Boolean> create(ScheduleRecord schedule);

    Optional<ScheduleRecord> find(String id);

    /** Every schedule, oldest first. */
    List<ScheduleRecord> list();

    /** Pauses the schedule (a paused one stays paused); false if there is no such schedule. */
    CompletableFuture<Boolean> pause(String id, Instant now);

    /**
     * Unpauses a paused schedule with its next fire at {@code nextFireAt} (a running one is left as is); false if not
     * found.
     */
    CompletableFuture<Boolean> resume(String id, Instant nextFireAt, Instant now);

    /** Deletes the schedule; false if there was none. Runs it started are kept. */
    CompletableFuture<Boolean> delete(String id);

    /**
     * Takes up to {@code limit} unpaused schedules due at {@code now} that no other node holds, for this node until
     * {@code claimUntil}; a node that dies holding one loses it when that passes.
     */
    CompletableFuture<List<ScheduleRecord>> claimDue(String nodeId, Instant now, int limit, Instant claimUntil);

    /**
     * Records the fire due at {@code fireAt} (the run it started, or why it started none) and moves the schedule to
     * {@code nextFireAt}, releasing the claim; false if the schedule was deleted, resumed or already moved on by
     * another node, in which case nothing is written.
     */
    CompletableFuture<Boolean> recordFire(
            String id, Instant fireAt, Instant nextFireAt, String runId, String error, Instant now);

    /** When the earliest unpaused, unclaimed schedule is due, if any. */
    Optional<Instant> nextDue(Instant now);

    /** Runs started by the schedule (in its organisation, {@code orgId}), newest first. */
    List<RunRecord> runs(String orgId, String scheduleId, int limit);
}

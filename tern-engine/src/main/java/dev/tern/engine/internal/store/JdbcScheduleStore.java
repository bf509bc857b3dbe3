package dev.tern.engine.internal.store;

import dev.tern.engine.RunRecord;
import dev.tern.engine.ScheduleRecord;
import dev.tern.engine.internal.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Schedules on the run store's database: writes through its group-commit writer, reads on its pool. */
final class JdbcScheduleStore implements ScheduleStore {
    private final NamedSql claimDue;
    private final GroupCommitWriter writer;
    private final RunReader reader;

    JdbcScheduleStore(Dialect dialect, GroupCommitWriter writer, RunReader reader) {
        this.claimDue = NamedSql.parse(CLAIM_DUE + dialect.claimLock());
        this.writer = writer;
        this.reader = reader;
    }

    static final NamedSql CREATE = NamedSql.parse("""
      INSERT INTO schedules (id, workflow_name, input, cron, interval_ms, timezone, paused, next_fire_at, created_at,
        updated_at, org_id, release_channel)
      VALUES (:id, :workflow, :input, :cron, :intervalMs, :timezone, :paused, :nextFireAt, :createdAt, :updatedAt,
        :orgId, :releaseChannel)
      ON CONFLICT (id) DO NOTHING""");

    static final String PAUSE = """
      UPDATE schedules SET paused = 1, updated_at = ? WHERE id = ? AND (paused = 0) IS TRUE""";

    static final String RESUME = """
      UPDATE schedules SET paused = 0, next_fire_at = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ?
      WHERE id = ? AND (paused = 1) IS TRUE""";

    /** Due unpaused schedules no other node holds; the dialect's claim lock is appended. */
    static final String CLAIM_DUE = """
      SELECT * FROM schedules WHERE paused = 0 AND next_fire_at <= :now
        AND (claimed_until IS NULL OR claimed_until < :now)
      ORDER BY next_fire_at LIMIT :limit""";

    /** Moves the schedule on after a fire, only if nobody moved it meanwhile. */
    static final NamedSql RECORD_FIRE = NamedSql.parse("""
      UPDATE schedules SET next_fire_at = :nextFireAt, last_fire_at = :fireAt,
        last_run_id = COALESCE(:runId, last_run_id), last_error = :error, fire_count = fire_count + :fired,
        claimed_by = NULL, claimed_until = NULL, updated_at = :now
      WHERE id = :id AND next_fire_at = :fireAt""");

    @Override
    public CompletableFuture<Boolean> create(ScheduleRecord s) {
        return writer.submit(tx -> tx.update(
                        CREATE,
                        NamedSql.Params.of("id", s.id())
                                .and("workflow", s.workflow())
                                .and("input", Json.write(s.input()))
                                .and("cron", s.cron())
                                .and(
                                        "intervalMs",
                                        s.interval() == null
                                                ? null
                                                : s.interval().toMillis())
                                .and("timezone", s.timezone())
                                .and("paused", s.paused())
                                .and("nextFireAt", s.nextFireAt())
                                .and("createdAt", s.createdAt())
                                .and("updatedAt", s.updatedAt())
                                .and("orgId", s.orgId())
                                .and("releaseChannel", s.releaseChannel()))
                == 1);
    }

    @Override
    public Optional<ScheduleRecord> find(String id) {
        return reader.query("SELECT * FROM schedules WHERE id = ?", JdbcScheduleStore::schedule, id).stream()
                .findFirst();
    }

    @Override
    public List<ScheduleRecord> list() {
        return reader.query("SELECT * FROM schedules ORDER BY created_at, id", JdbcScheduleStore::schedule);
    }

    @Override
    public CompletableFuture<Boolean> pause(String id, Instant now) {
        return writer.submit(tx -> tx.update(PAUSE, now, id) == 1 || exists(tx, id));
    }

    @Override
    public CompletableFuture<Boolean> resume(String id, Instant nextFireAt, Instant now) {
        return writer.submit(tx -> tx.update(RESUME, nextFireAt, now, id) == 1 || exists(tx, id));
    }

    @Override
    public CompletableFuture<Boolean> delete(String id) {
        return writer.submit(tx -> tx.update("DELETE FROM schedules WHERE id = ?", id) == 1);
    }

    @Override
    public CompletableFuture<List<ScheduleRecord>> claimDue(String nodeId, Instant now, int limit, Instant claimUntil) {
        return writer.submit(tx -> {
            List<ScheduleRecord> due = tx.queryPlannedEachTime(
                    claimDue,
                    JdbcScheduleStore::schedule,
                    NamedSql.Params.of("now", now).and("limit", limit));
            for (ScheduleRecord s : due) {
                tx.update(
                        "UPDATE schedules SET claimed_by = ?, claimed_until = ? WHERE id = ?",
                        nodeId,
                        claimUntil,
                        s.id());
            }
            return due;
        });
    }

    @Override
    public CompletableFuture<Boolean> recordFire(
            String id, Instant fireAt, Instant nextFireAt, String runId, String error, Instant now) {
        return writer.submit(tx -> tx.update(
                        RECORD_FIRE,
                        NamedSql.Params.of("nextFireAt", nextFireAt)
                                .and("fireAt", fireAt)
                                .and("runId", runId)
                                .and("error", error)
                                .and("fired", runId == null ? 0 : 1)
                                .and("now", now)
                                .and("id", id))
                == 1);
    }

    @Override
    public Optional<Instant> nextDue(Instant now) {
        String sql = """
                SELECT MIN(next_fire_at) AS due FROM schedules
                WHERE paused = 0 AND (claimed_until IS NULL OR claimed_until < ?)
                """;
        return reader.query(sql, rs -> Sql.instant(rs, "due"), now).stream()
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    @Override
    public List<RunRecord> runs(String orgId, String scheduleId, int limit) {
        String prefix = ScheduleRecord.idempotencyKeyPrefix(scheduleId);
        String pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        // newest first: the organisation's runs in creation order, whose order the filter keeps
        // SQLite's LIKE ignores case, so the prefix is checked again exactly
        RunListing.Query q = RunListing.merged(
                RunListing.everyRunOf(orgId),
                " AND idempotency_key LIKE ? ESCAPE '\\'",
                List.of(pattern),
                limit,
                reader.mergesKeysFirst());
        return reader
                .query(q.sql(), rs -> RunColumns.read(rs).toRecord(), q.args().toArray())
                .stream()
                .filter(r -> r.idempotencyKey().startsWith(prefix))
                .toList();
    }

    private static boolean exists(Tx tx, String id) throws SQLException {
        return tx.queryLong("SELECT COUNT(*) FROM schedules WHERE id = ?", id).orElse(0) > 0;
    }

    private static ScheduleRecord schedule(ResultSet rs) throws SQLException {
        long intervalMs = rs.getLong("interval_ms");
        Duration interval = rs.wasNull() ? null : Duration.ofMillis(intervalMs);
        return new ScheduleRecord(
                rs.getString("id"),
                rs.getString("workflow_name"),
                Json.parse(rs.getString("input")),
                rs.getString("cron"),
                interval,
                rs.getString("timezone"),
                rs.getLong("paused") != 0,
                Sql.instant(rs, "next_fire_at"),
                Sql.instant(rs, "last_fire_at"),
                rs.getString("last_run_id"),
                rs.getString("last_error"),
                rs.getLong("fire_count"),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"),
                rs.getString("org_id"),
                rs.getString("release_channel"));
    }
}

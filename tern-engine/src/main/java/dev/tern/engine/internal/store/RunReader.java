package dev.tern.engine.internal.store;

import dev.tern.engine.AttemptRecord;
import dev.tern.engine.ErrorInfo;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.InteractionRecord;
import dev.tern.engine.RunPage;
import dev.tern.engine.RunQuery;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.StepStatus;
import dev.tern.engine.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import javax.sql.DataSource;

/** Reads of the store, on pooled connections separate from the writer. */
final class RunReader {
    private final DataSource pool;
    private final DataSource byId;

    private final RunDetailRead details;
    private final boolean mergesKeysFirst;
    /** The query of a run's attempts: {@link #ATTEMPTS}, or on SQLite {@link LazyAttempts#READ}. */
    private final String attempts;

    /** Reads on {@code pool}, runs read by id too, one query at a time (SQLite, in process). */
    RunReader(DataSource pool) {
        this.pool = pool;
        this.byId = pool;
        this.details = new RunDetailRead(pool, false, LazyAttempts.READ);
        this.mergesKeysFirst = true;
        this.attempts = LazyAttempts.READ;
    }

    /**
     * Reads on {@code pool}, and reads of one run's rows by its id ({@link #byRun}) on {@code byId}: connections that
     * may keep a generic plan for them (see {@link StoreFactory#postgres}); a run's view in one round trip
     * ({@link RunDetailRead}).
     */
    RunReader(DataSource pool, DataSource byId) {
        this.pool = pool;
        this.byId = byId;
        this.details = new RunDetailRead(byId, true, ATTEMPTS);
        this.mergesKeysFirst = false;
        this.attempts = ATTEMPTS;
    }

    /** How this database merges a listing's pages best ({@link RunListing#merged}). */
    boolean mergesKeysFirst() {
        return mergesKeysFirst;
    }

    <T> List<T> query(String sql, Sql.RowMapper<T> mapper, Object... args) {
        return query(pool, sql, mapper, args);
    }

    private static <T> List<T> query(DataSource pool, String sql, Sql.RowMapper<T> mapper, Object... args) {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) rows.add(mapper.map(rs));
                return rows;
            }
        } catch (SQLException e) {
            throw new StoreException("read failed: " + e.getMessage(), e);
        }
    }

    /** A run by its id. */
    static final String BY_ID = "SELECT " + RunColumns.LIST + " FROM runs WHERE id = ?";

    static final String STEPS = "SELECT * FROM steps WHERE run_id = ? ORDER BY seq";
    static final String HISTORY_PAGE =
            "SELECT * FROM history WHERE run_id = ? AND event_seq > ? ORDER BY event_seq LIMIT ?";
    static final String ATTEMPTS = "SELECT * FROM attempts WHERE run_id = ? ORDER BY attempt";
    static final String ATTEMPT_RESUMES =
            "SELECT attempt, node_id, resumed_at FROM attempt_resumes WHERE run_id = ? ORDER BY attempt, resumed_at";
    static final String INBOX = "SELECT * FROM inbox WHERE run_id = ? AND inbox_seq > ? ORDER BY inbox_seq";
    static final String SIGNALS = "SELECT signal_seq, cancel_requested FROM runs WHERE id = ?";
    static final String INTERACTIONS = "SELECT * FROM interactions WHERE run_id = ? ORDER BY created_at, id";
    static final String INTERACTION = "SELECT * FROM interactions WHERE id = ? AND run_id = ?";

    /** The reads of one run's rows by its id ({@link #byRun}), for the plan test. */
    static final List<String> BY_RUN = List.of(
            BY_ID,
            STEPS,
            HISTORY_PAGE,
            ATTEMPTS,
            ATTEMPT_RESUMES,
            INBOX,
            SIGNALS,
            INTERACTIONS,
            INTERACTION,
            CreatedInput.INPUT,
            HandledResults.EARLIER);

    /** Runs by {@code count} ids. */
    static String byIds(int count) {
        return "SELECT " + RunColumns.LIST + " FROM runs WHERE id IN (" + Sql.placeholders(count) + ")";
    }

    /**
     * A read of one run's rows found by its id, the leading column of the index each such query reads (the run's
     * primary key, or its steps', history's, attempts', inbox's or interactions' key or run index): its best plan is
     * the same for every run and any size of the store, so it goes to connections that keep PostgreSQL's cached plans,
     * where planning it at each execution cost more than the read (see {@link StoreFactory#postgres};
     * {@code PostgresPlanTest} holds their generic plans to those indexes).
     */
    private <T> List<T> byRun(String sql, Sql.RowMapper<T> mapper, Object... args) {
        return query(byId, sql, mapper, args);
    }

    Optional<StoredRun> findRun(String runId) {
        return byRun(BY_ID, RunColumns::read, runId).stream().findFirst();
    }

    /** Reads many runs by id, {@value #IDS_PER_QUERY} to a query (one bound parameter each). */
    List<StoredRun> findRuns(List<String> runIds) {
        // one id, the common case for a run's waiter: the statement every single-run read uses (one cached plan)
        if (runIds.size() == 1) return findRun(runIds.get(0)).map(List::of).orElse(List.of());
        return byIds(runIds, RunReader::byIds, RunColumns::read);
    }

    /** The rows {@code sqlFor(n)} reads for {@code n} run ids, {@value #IDS_PER_QUERY} ids to a query. */
    private <T> List<T> byIds(List<String> runIds, IntFunction<String> sqlFor, Sql.RowMapper<T> mapper) {
        List<T> rows = new ArrayList<>(runIds.size());
        for (int from = 0; from < runIds.size(); from += IDS_PER_QUERY) {
            List<String> ids = runIds.subList(from, Math.min(runIds.size(), from + IDS_PER_QUERY));
            // planned each time: a generic plan made while the table was small scans it whole (PostgresPlanTest)
            rows.addAll(query(sqlFor.apply(ids.size()), mapper, ids.toArray()));
        }
        return rows;
    }

    private static final int IDS_PER_QUERY = 500;

    RunPage listRuns(RunQuery q) {
        return RunListing.page(this, q);
    }

    List<StepRecord> steps(String runId) {
        return byRun(STEPS, steps(), runId);
    }

    /**
     * The steps of each of {@code runIds}, in sequence order ({@value #IDS_PER_QUERY} runs to a query): every run asked
     * for is in the answer, with no steps if it has none. The caller bounds how many rows that is.
     */
    Map<String, List<StepRecord>> stepsOf(List<String> runIds) {
        Map<String, List<StepRecord>> steps = new HashMap<>();
        for (String id : runIds) steps.put(id, new ArrayList<>());
        for (StepRecord step : byIds(runIds, RunReader::stepsByIds, runsSteps()))
            steps.get(step.runId()).add(step);
        return steps;
    }

    /** The steps of {@code count} runs, each run's in sequence order. */
    private static String stepsByIds(int count) {
        return "SELECT * FROM steps WHERE run_id IN (" + Sql.placeholders(count) + ") ORDER BY run_id, seq";
    }

    /** {@link #steps()} for the rows of many runs: each run's inputs made whole from its own earlier steps. */
    private static Sql.RowMapper<StepRecord> runsSteps() {
        Map<String, StepInputText.Reader> inputs = new HashMap<>();
        return rs -> step(rs, inputs.computeIfAbsent(rs.getString("run_id"), id -> new StepInputText.Reader()));
    }

    /**
     * A page of the run's history; a row with a step's start folded into it is read as both events
     * ({@link StepStartFold}), a {@code run_created} event gets the run's input back ({@link CreatedInput}), a handled
     * event its whole result ({@link HandledResults}).
     */
    List<HistoryEvent> history(String runId, long afterSeq, int limit) {
        List<HistoryEvent> page = new ArrayList<>();
        // limit rows hold at least limit events; a folded row just after the cursor brings a start before it
        for (List<HistoryEvent> row : byRun(HISTORY_PAGE, StepStartFold::events, runId, afterSeq, limit)) {
            for (HistoryEvent e : row) if (e.eventSequence() > afterSeq && page.size() < limit) page.add(e);
        }
        List<HistoryEvent> withInput = CreatedInput.restored(
                page,
                () -> byRun(CreatedInput.INPUT, rs -> rs.getString(1), runId).stream()
                        .findFirst()
                        .orElse(null));
        return HandledResults.restored(
                withInput, before -> byRun(HandledResults.EARLIER, rs -> Json.parse(rs.getString(1)), runId, before));
    }

    /** How often each step of each of {@code runIds} was started, {@value #IDS_PER_QUERY} runs to a query. */
    Map<String, Map<Integer, Integer>> stepStartsOf(List<String> runIds) {
        Map<String, Map<Integer, Integer>> starts = new HashMap<>();
        for (String id : runIds) starts.put(id, new HashMap<>());
        byIds(
                runIds,
                RunReader::stepStartsByIds,
                rs -> starts.get(rs.getString(1)).put(rs.getInt(2), rs.getInt(3)));
        return starts;
    }

    /** The times each step of {@code count} runs was started: its starts, folded ones too ({@link StepStartFold}). */
    private static String stepStartsByIds(int count) {
        return "SELECT run_id, step_seq, count(*) FROM history WHERE run_id IN (" + Sql.placeholders(count)
                + ") AND (type = '" + HistoryEventType.STEP_STARTED.wireName()
                + "' OR started_at IS NOT NULL) GROUP BY run_id, step_seq";
    }

    /** The run's attempts in order, each with its resumptions after suspensions in order. */
    List<AttemptRecord> attempts(String runId) {
        return RunDetailRead.withResumes(
                byRun(attempts, RunReader::attempt, runId), byRun(ATTEMPT_RESUMES, RunReader::resume, runId));
    }

    /** The run and the parts of it asked for, read at once ({@link RunDetailRead}). */
    Optional<dev.tern.engine.RunDetail> detail(String runId, java.util.Set<dev.tern.engine.RunDetail.Part> parts) {
        return details.read(runId, parts);
    }

    /** A resumption of an attempt after a suspension. */
    record ResumeRow(int attempt, AttemptRecord.Resume resume) {}

    /** An attempt's row, without its resumptions (read apart, {@link RunDetailRead#withResumes}). */
    static AttemptRecord attempt(ResultSet rs) throws SQLException {
        return new AttemptRecord(
                rs.getString("run_id"),
                rs.getInt("attempt"),
                rs.getString("node_id"),
                Sql.instant(rs, "started_at"),
                Sql.instant(rs, "last_keep_alive_at"),
                Sql.instant(rs, "ended_at"),
                rs.getString("outcome"),
                List.of());
    }

    static ResumeRow resume(ResultSet rs) throws SQLException {
        return new ResumeRow(rs.getInt(1), new AttemptRecord.Resume(rs.getString(2), Sql.instant(rs, "resumed_at")));
    }

    List<InboxEvent> inbox(String runId, long afterSeq) {
        return byRun(
                INBOX,
                rs -> new InboxEvent(
                        rs.getLong("inbox_seq"),
                        rs.getString("name"),
                        Json.parse(rs.getString("payload")),
                        Sql.instant(rs, "at")),
                runId,
                afterSeq);
    }

    Optional<RunSignals> signals(String runId) {
        return byRun(SIGNALS, rs -> new RunSignals(rs.getLong(1), rs.getLong(2) != 0), runId).stream()
                .findFirst();
    }

    /**
     * Unfinished runs by what holds them: {@code queued}, {@code running}, or the reason they wait ({@code sleep},
     * {@code event}, {@code human}, {@code limit}, {@code child}). Reads only unfinished runs (the {@code runs_ready}
     * partial index), never the finished history.
     */
    java.util.Map<String, Long> unfinishedByState() {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        for (Object[] row : query(
                "SELECT status, waiting_on, count(*) FROM runs WHERE status IN ('queued', 'running') "
                        + "GROUP BY status, waiting_on",
                rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)})) {
            counts.merge(stateOf((String) row[0], (String) row[1]), (Long) row[2], Long::sum);
        }
        return counts;
    }

    private static String stateOf(String status, String waitingOn) {
        if (waitingOn == null) return status;
        if (waitingOn.startsWith(dev.tern.engine.RunWait.LIMIT_PREFIX)) return "limit";
        if (waitingOn.startsWith(dev.tern.engine.RunWait.EVENT)) return "event";
        if (waitingOn.startsWith(dev.tern.engine.RunWait.CHILD_PREFIX)) return "child";
        if (waitingOn.equals(dev.tern.engine.RunWait.HUMAN) || waitingOn.startsWith(dev.tern.engine.RunWait.HUMAN))
            return "human";
        if (waitingOn.equals(dev.tern.engine.RunWait.SLEEP)) return "sleep";
        return "other";
    }

    /** When the earliest unfinished run is due (queued, woken, or its lease runs out), through {@code runs_ready}. */
    static final String NEXT_DUE =
            "SELECT MIN(ready_at) AS due FROM runs WHERE ready_at IS NOT NULL AND status IN ('queued', 'running')";

    Optional<Instant> nextDue() {
        return query(NEXT_DUE, rs -> Sql.instant(rs, "due")).stream()
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    /**
     * Reads one run's step rows, taken in order of their sequence: a step whose input is stored against an earlier
     * one's is read whole ({@link StepInputText}). One per query.
     */
    static Sql.RowMapper<StepRecord> steps() {
        StepInputText.Reader inputs = new StepInputText.Reader();
        return rs -> step(rs, inputs);
    }

    private static StepRecord step(ResultSet rs, StepInputText.Reader inputs) throws SQLException {
        int seq = rs.getInt("seq");
        return new StepRecord(
                rs.getString("run_id"),
                seq,
                rs.getString("name"),
                StepKind.fromWire(rs.getString("kind")),
                StepStatus.fromWire(rs.getString("status")).orElseThrow(),
                inputs.read(seq, rs.getString("input")),
                Json.parse(rs.getString("output")),
                Json.read(rs.getString("error"), ErrorInfo.class),
                rs.getInt("attempts"),
                Sql.instant(rs, "started_at"),
                Sql.instant(rs, "completed_at"),
                rs.getInt("run_attempt"),
                rs.getString("step_type"),
                usage(rs));
    }

    private static dev.tern.sdk.Usage usage(ResultSet rs) throws SQLException {
        long in = rs.getLong("input_tokens");
        boolean none = rs.wasNull();
        long out = rs.getLong("output_tokens");
        none &= rs.wasNull();
        double cost = rs.getDouble("cost_usd");
        none &= rs.wasNull();
        return none ? null : new dev.tern.sdk.Usage(in, out, cost);
    }

    List<InteractionRecord> interactions(String runId) {
        return byRun(INTERACTIONS, RunReader::interaction, runId);
    }

    Optional<InteractionRecord> interaction(String runId, String interactionId) {
        return byRun(INTERACTION, RunReader::interaction, interactionId, runId).stream()
                .findFirst();
    }

    static InteractionRecord interaction(ResultSet rs) throws SQLException {
        return new InteractionRecord(
                rs.getString("id"),
                rs.getString("run_id"),
                rs.getInt("step_seq"),
                rs.getString("prompt"),
                Json.parse(rs.getString("answer_schema")),
                rs.getString("status"),
                Json.parse(rs.getString("answer")),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "timeout_at"),
                Sql.instant(rs, "answered_at"));
    }

    /** Opaque page position: the last row's creation time and id. */
    record Cursor(long createdAt, String id) {
        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((createdAt + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                return new Cursor(Long.parseLong(raw.substring(0, colon)), raw.substring(colon + 1));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("cursor is not one this server returned");
            }
        }
    }
}

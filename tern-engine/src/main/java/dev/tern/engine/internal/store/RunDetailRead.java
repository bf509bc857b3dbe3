package dev.tern.engine.internal.store;

import dev.tern.engine.AttemptRecord;
import dev.tern.engine.InteractionRecord;
import dev.tern.engine.RunDetail;
import dev.tern.engine.StepRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A run and the parts of it asked for ({@link RunDetail}), read at once with the statements that read each alone
 * ({@link RunReader#BY_RUN}). On PostgreSQL they are one prepared statement of several queries: pgjdbc sends them as
 * one batch of protocol messages closed by one {@code Sync} and hands back their results in turn, so a run's view costs
 * one round trip instead of one per part (the run, its steps, attempts, resumptions and questions: five), on the by-id
 * connections that keep each query's cached plan. SQLite, in process, has no round trips to save: the queries run one
 * after another on one connection.
 */
final class RunDetailRead {
    private final DataSource byId;
    private final boolean oneRoundTrip;
    private final String attempts;

    /**
     * Reads on {@code byId}; {@code oneRoundTrip}: the driver takes several queries in one statement; {@code attempts}:
     * the query of a run's attempts on this database ({@link RunReader#ATTEMPTS}, {@link LazyAttempts#READ}).
     */
    RunDetailRead(DataSource byId, boolean oneRoundTrip, String attempts) {
        this.byId = byId;
        this.oneRoundTrip = oneRoundTrip;
        this.attempts = attempts;
    }

    /** One query of the read, taking the run's id as its only parameter, and what to do with each row. */
    private record Query(String sql, Sql.RowMapper<?> rows) {}

    Optional<RunDetail> read(String runId, Set<RunDetail.Part> parts) {
        List<StoredRun> run = new ArrayList<>(1);
        List<StepRecord> steps = new ArrayList<>();
        List<AttemptRecord> attempts = new ArrayList<>();
        List<RunReader.ResumeRow> resumes = new ArrayList<>();
        List<InteractionRecord> interactions = new ArrayList<>();
        List<Query> queries = new ArrayList<>(5);
        queries.add(new Query(RunReader.BY_ID, rs -> run.add(RunColumns.read(rs))));
        if (parts.contains(RunDetail.Part.STEPS)) queries.add(new Query(RunReader.STEPS, stepRows(steps)));
        if (parts.contains(RunDetail.Part.ATTEMPTS)) {
            queries.add(new Query(this.attempts, rs -> attempts.add(RunReader.attempt(rs))));
            queries.add(new Query(RunReader.ATTEMPT_RESUMES, rs -> resumes.add(RunReader.resume(rs))));
        }
        if (parts.contains(RunDetail.Part.INTERACTIONS))
            queries.add(new Query(RunReader.INTERACTIONS, rs -> interactions.add(RunReader.interaction(rs))));
        try (Connection c = byId.getConnection()) {
            if (oneRoundTrip) together(c, runId, queries);
            else oneByOne(c, runId, queries);
        } catch (SQLException e) {
            throw new StoreException("read failed: " + e.getMessage(), e);
        }
        if (run.isEmpty()) return Optional.empty();
        return Optional.of(new RunDetail(run.get(0).toRecord(), steps, withResumes(attempts, resumes), interactions));
    }

    /** Adds each step row to {@code steps}, read whole ({@link RunReader#steps}). */
    private static Sql.RowMapper<Boolean> stepRows(List<StepRecord> steps) {
        Sql.RowMapper<StepRecord> read = RunReader.steps();
        return rs -> steps.add(read.map(rs));
    }

    private static void together(Connection c, String runId, List<Query> queries) throws SQLException {
        String sql = String.join(";\n", queries.stream().map(Query::sql).toList());
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= queries.size(); i++) ps.setString(i, runId);
            boolean result = ps.execute();
            for (Query query : queries) {
                if (!result)
                    throw new SQLException("the run's read got fewer results than its " + queries.size() + " queries");
                try (ResultSet rs = ps.getResultSet()) {
                    while (rs.next()) query.rows().map(rs);
                }
                result = ps.getMoreResults();
            }
        }
    }

    private static void oneByOne(Connection c, String runId, List<Query> queries) throws SQLException {
        for (Query query : queries) {
            try (PreparedStatement ps = c.prepareStatement(query.sql())) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) query.rows().map(rs);
                }
            }
        }
    }

    /** The attempts in order, each with its resumptions in order. */
    static List<AttemptRecord> withResumes(List<AttemptRecord> attempts, List<RunReader.ResumeRow> resumes) {
        Map<Integer, List<AttemptRecord.Resume>> byAttempt = new HashMap<>();
        for (RunReader.ResumeRow r : resumes)
            byAttempt.computeIfAbsent(r.attempt(), k -> new ArrayList<>()).add(r.resume());
        return attempts.stream()
                .map(a -> a.withResumes(byAttempt.getOrDefault(a.attempt(), List.of())))
                .toList();
    }
}

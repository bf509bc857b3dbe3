package dev.tern.engine.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** The writer's transaction: one connection, prepared statements cached by SQL text. */
final class Tx {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private final Set<String> historyChanged = new LinkedHashSet<>();
    /** Signals for this node to act on once the transaction commits ({@link RunRows#notify}), or null. */
    private List<Signal> signals;

    /** Rows inserted at the transaction's end ({@link DeferredRows}), while the writer defers them; else null. */
    private DeferredRows deferred;
    /** Whether a statement's text names a table whose rows may be deferred, by text ({@link DeferredRows#touches}). */
    private final Map<String, Boolean> touchesDeferred = new HashMap<>();

    Tx(Connection connection) {
        this.connection = connection;
    }

    /**
     * From now on history and step rows wait for {@link #insertDeferred} (SQLite's writer, for a batch in one
     * transaction), or, {@code false}, go in as they come (the waiting ones must have gone in or been dropped).
     */
    void deferRows(boolean defer) {
        if (!defer && deferred != null && deferred.any()) throw new IllegalStateException("rows still deferred");
        deferred = defer ? (deferred == null ? new DeferredRows() : deferred) : null;
    }

    /** Whether history and step rows wait for the transaction's end. */
    boolean defersRows() {
        return deferred != null;
    }

    /** Queues a row of {@code table} to be inserted with the others at the transaction's end. */
    void defer(DeferredRows.Table table, Object[] row, int from, int rows) {
        deferred.add(table, row, from, rows);
    }

    /** Inserts the rows waiting for the transaction's end, if any. */
    void insertDeferred() throws SQLException {
        if (deferred != null) deferred.insert(this);
    }

    /** Forgets the rows waiting for the transaction's end (it rolled back). */
    void dropDeferred() {
        if (deferred != null) deferred.drop();
    }

    /** Before {@code sql} runs: the waiting rows go in first if it may read or write their tables. */
    private void beforeRunning(String sql) throws SQLException {
        if (deferred == null || !deferred.any()) return;
        Boolean touches = touchesDeferred.get(sql);
        if (touches == null) touchesDeferred.put(sql, touches = DeferredRows.touches(sql));
        if (touches) deferred.insert(this);
    }

    /** Executes {@code sql} as it is, deferring nothing: the statement that inserts deferred rows. */
    int updateNow(String sql, Object... args) throws SQLException {
        return statement(sql, false, args).executeUpdate();
    }

    Connection connection() {
        return connection;
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        return prepare(false, sql, args);
    }

    private PreparedStatement prepare(boolean planEachTime, String sql, Object... args) throws SQLException {
        beforeRunning(sql);
        return statement(sql, planEachTime, args);
    }

    private PreparedStatement statement(String sql, boolean planEachTime, Object... args) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            // never a named server-side statement: PostgreSQL plans it for the arguments of each execution
            if (planEachTime && ps.isWrapperFor(org.postgresql.PGStatement.class)) {
                ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
            }
            statements.put(sql, ps);
        }
        Sql.bind(ps, args);
        return ps;
    }

    /**
     * Executes {@code sql} once for each argument list, sent together: pgjdbc pipelines a batch (every execution sent,
     * then every answer read, one round trip). The update counts, in order.
     */
    int[] updateAll(String sql, java.util.List<Object[]> argLists) throws SQLException {
        return executeBatch(prepare(sql), argLists);
    }

    /** Binds each argument list as one execution of {@code ps} and sends them together; the update counts. */
    private static int[] executeBatch(PreparedStatement ps, java.util.List<Object[]> argLists) throws SQLException {
        try {
            for (Object[] args : argLists) {
                Sql.bind(ps, args);
                ps.addBatch();
            }
            return ps.executeBatch();
        } finally {
            ps.clearBatch();
        }
    }

    /**
     * {@link #updateAll} of a statement that returns at most a row per execution, of values of fixed size: pgjdbc
     * pipelines those as well (an answer it can bound in size cannot fill the socket's buffers while it is still
     * sending). Each returned row, in order, goes into {@code rows} by {@code mapper}; the update counts.
     */
    <T> int[] updateAllReturning(
            String sql, java.util.List<Object[]> argLists, Sql.RowMapper<T> mapper, java.util.List<T> rows)
            throws SQLException {
        // a statement of its own: the driver collects the rows of a batch only when asked for them as it is prepared
        beforeRunning(sql);
        String key = RETURNING + sql;
        PreparedStatement ps = statements.get(key);
        if (ps == null) {
            ps = connection.prepareStatement(sql, java.sql.Statement.RETURN_GENERATED_KEYS);
            statements.put(key, ps);
        }
        int[] counts = executeBatch(ps, argLists);
        try (ResultSet rs = ps.getGeneratedKeys()) {
            while (rs.next()) rows.add(mapper.map(rs));
        }
        return counts;
    }

    /** Marks the cache key of a statement prepared to return its batch's rows ({@link #updateAllReturning}). */
    private static final String RETURNING = "\0returning\0";

    int update(String sql, Object... args) throws SQLException {
        return prepare(sql, args).executeUpdate();
    }

    int update(NamedSql sql, NamedSql.Params params) throws SQLException {
        return update(sql.jdbc(), sql.args(params));
    }

    OptionalLong queryLong(NamedSql sql, NamedSql.Params params) throws SQLException {
        return queryLong(sql.jdbc(), sql.args(params));
    }

    <T> java.util.List<T> query(NamedSql sql, Sql.RowMapper<T> mapper, NamedSql.Params params) throws SQLException {
        return query(sql.jdbc(), mapper, sql.args(params));
    }

    /** The first column of the first row, if any (works for {@code UPDATE … RETURNING} too). */
    OptionalLong queryLong(String sql, Object... args) throws SQLException {
        try (ResultSet rs = prepare(sql, args).executeQuery()) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        }
    }

    <T> java.util.List<T> query(String sql, Sql.RowMapper<T> mapper, Object... args) throws SQLException {
        try (ResultSet rs = prepare(sql, args).executeQuery()) {
            java.util.List<T> rows = new java.util.ArrayList<>();
            while (rs.next()) rows.add(mapper.map(rs));
            return rows;
        }
    }

    /**
     * Like {@link #query}, planned for its arguments at every execution: for a range filter ("due before now") whose
     * best plan depends on them, where a plan cached while the table was small would scan it whole once it is large.
     */
    <T> java.util.List<T> queryPlannedEachTime(String sql, Sql.RowMapper<T> mapper, Object... args)
            throws SQLException {
        try (ResultSet rs = prepare(true, sql, args).executeQuery()) {
            java.util.List<T> rows = new java.util.ArrayList<>();
            while (rs.next()) rows.add(mapper.map(rs));
            return rows;
        }
    }

    <T> java.util.List<T> queryPlannedEachTime(NamedSql sql, Sql.RowMapper<T> mapper, NamedSql.Params params)
            throws SQLException {
        return queryPlannedEachTime(sql.jdbc(), mapper, sql.args(params));
    }

    /** Notes that this transaction appended to the run's history, so streams of it wake once it commits. */
    void historyChanged(String runId) {
        historyChanged.add(runId);
    }

    /** The runs whose history this transaction changed so far, forgetting them (on commit or rollback). */
    Set<String> drainHistoryChanged() {
        Set<String> runs = Set.copyOf(historyChanged);
        historyChanged.clear();
        return runs;
    }

    /** Notes a change this node acts on once the transaction commits ({@link RunRows#notify}). */
    void signal(Signal.Kind kind, String runId) {
        if (signals == null) signals = new ArrayList<>(2);
        signals.add(new Signal(kind, runId));
    }

    /** The signals this transaction noted so far, forgetting them (on commit or rollback). */
    List<Signal> drainSignals() {
        if (signals == null) return List.of();
        List<Signal> noted = signals;
        signals = null;
        return noted;
    }

    void closeStatements() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection is going away anyway
            }
        }
        statements.clear();
    }
}

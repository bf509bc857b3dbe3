package dev.tern.engine.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** The writer's transaction: one connection, prepared statements cached by SQL text. */
final class Tx {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    /** Statements prepared to hand back the rows a batch of them returns ({@link #updateAllReturning}). */
    private final Map<String, PreparedStatement> returningStatements = new HashMap<>();

    private final Set<String> historyChanged = new LinkedHashSet<>();

    Tx(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        return prepare(false, sql, args);
    }

    private PreparedStatement prepare(boolean planEachTime, String sql, Object... args) throws SQLException {
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
        PreparedStatement ps = prepare(sql);
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
     * What a batch of statements that each return one row when they write answered: each statement's update count, and
     * the result of the row it returned, or null where it wrote nothing.
     */
    record Returned<T>(int[] counts, java.util.List<T> rows) {}

    /**
     * {@link #updateAll} for statements each returning one row when it writes and none when it does not (its top level
     * a write of that row, {@link Pipelined}): pgjdbc hands back the rows of a batch's statements prepared to return
     * generated keys, all of them in order, after the update counts. {@code mappers}: each statement's, by position.
     * Not pipelined: pgjdbc sends a statement whose rows it cannot bound in size (any text column) on its own, with its
     * own sync, so that neither end's socket buffer fills while the other writes; one round trip per statement.
     */
    <T> Returned<T> updateAllReturning(
            String sql, java.util.List<Object[]> argLists, java.util.List<Sql.RowMapper<T>> mappers)
            throws SQLException {
        PreparedStatement ps = returningStatements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql, java.sql.Statement.RETURN_GENERATED_KEYS);
            returningStatements.put(sql, ps);
        }
        try {
            for (Object[] args : argLists) {
                Sql.bind(ps, args);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            java.util.List<T> rows = new java.util.ArrayList<>(counts.length);
            try (ResultSet rs = ps.getGeneratedKeys()) {
                for (int k = 0; k < counts.length; k++) {
                    if (counts[k] > 1) throw new SQLException("a statement meant to write one row wrote " + counts[k]);
                    if (counts[k] == 1 && !rs.next()) throw new SQLException("a statement that wrote returned no row");
                    rows.add(counts[k] == 1 ? mappers.get(k).map(rs) : null);
                }
            }
            return new Returned<>(counts, rows);
        } finally {
            ps.clearBatch();
        }
    }

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

    void closeStatements() {
        var all = java.util.stream.Stream.concat(statements.values().stream(), returningStatements.values().stream());
        for (PreparedStatement ps : all.toList()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection is going away anyway
            }
        }
        statements.clear();
        returningStatements.clear();
    }
}

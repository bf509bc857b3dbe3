package dev.tern.engine.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Small JDBC helpers shared by the reader and the writer. */
final class Sql {
    private Sql() {}

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** {@code count} bind markers for an {@code IN} list: {@code ?, ?, ?}. */
    static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            switch (arg) {
                case null -> ps.setNull(i + 1, Types.NULL);
                case String s -> ps.setString(i + 1, s);
                case Long l -> ps.setLong(i + 1, l);
                case Integer n -> ps.setLong(i + 1, n);
                case Double d -> ps.setDouble(i + 1, d);
                case Boolean b -> ps.setLong(i + 1, b ? 1 : 0);
                case Instant t -> ps.setLong(i + 1, t.toEpochMilli());
                default -> throw new IllegalArgumentException("cannot bind " + arg.getClass());
            }
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}

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

  /**
   * Conditions checked on the rows the rest of a WHERE clause finds (by primary key, or by the
   * index meant for it), written so PostgreSQL never uses them to pick an index: a cached generic
   * plan, made while a table is new and empty, may otherwise scan every row with that status (see
   * V6__hot_path.sql). Same meaning in a WHERE clause, on both databases.
   */
  static String recheck(String conditions) {
    return "(" + conditions + ") IS TRUE";
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

package dev.tern.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL database the pg stores use, by JDBC URL without a {@code currentSchema}: every engine run and raw-JDBC
 * measurement gets a fresh schema {@code tern_bench_<random>} in it, dropped afterwards.
 */
final class PostgresDatabase {
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    private final String baseUrl;

    PostgresDatabase(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The URL with any password hidden, for printing. */
    String displayUrl() {
        return baseUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** Connects and describes the server (version and durability settings); throws if it is unreachable. */
    String probe() throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            return "PostgreSQL " + value(s, "SHOW server_version") + ", fsync=" + value(s, "SHOW fsync")
                    + ", synchronous_commit=" + value(s, "SHOW synchronous_commit");
        }
    }

    private static String value(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    /** The URL without its query string (for libraries that take the user separately). */
    String plainUrl() {
        int q = baseUrl.indexOf('?');
        return q < 0 ? baseUrl : baseUrl.substring(0, q);
    }

    /** The {@code user} parameter of the URL, else {@code postgres}. */
    String user() {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("[?&]user=([^&]*)").matcher(baseUrl);
        return m.find() ? m.group(1) : "postgres";
    }

    /** The {@code password} parameter of the URL, else empty (trust authentication). */
    String password() {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("[?&]password=([^&]*)").matcher(baseUrl);
        return m.find() ? m.group(1) : "";
    }

    /** A fresh schema name (not created: the engine, or the caller, creates it). */
    static String newSchema() {
        return "tern_bench_" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    /** The URL an engine opens to create, migrate and use {@code schema}. */
    String engineUrl(String schema) {
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** A plain connection to the database (public schema on the search path). */
    Connection connect() throws SQLException {
        Properties timeouts = new Properties();
        timeouts.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        timeouts.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        return DriverManager.getConnection(baseUrl, timeouts);
    }

    /** Drops {@code schema} and everything in it; warns (does not throw) if that fails. */
    void dropSchema(String schema) {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            System.err.println("warning: could not drop schema " + schema + ": " + e.getMessage());
        }
    }
}

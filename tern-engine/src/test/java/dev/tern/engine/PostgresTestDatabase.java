package dev.tern.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The machine's PostgreSQL (127.0.0.1:5432, trust auth, database {@code test}); each test gets its own schema, dropped
 * afterwards. Override with {@code TERN_TEST_PG_URL}.
 */
public final class PostgresTestDatabase {
    static final String BASE_URL =
            System.getenv().getOrDefault("TERN_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private PostgresTestDatabase() {}

    /** A fresh schema name; the engine creates the schema on first start. */
    public static String newSchema() {
        return "tern_test_" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    public static String url(String schema) {
        return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void drop(String schema) {
        try (Connection c = DriverManager.getConnection(BASE_URL);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema, e);
        }
    }
}

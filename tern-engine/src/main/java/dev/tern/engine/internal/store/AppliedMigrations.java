package dev.tern.engine.internal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Whether a store's schema already stands at the newest migration this build carries ({@link Dialect#newestMigration}),
 * read in one query of Flyway's own history table: then a start need not hand the store to Flyway, whose scan of the
 * classpath for migrations, checksums and validation against that table took 300-700 ms of a cold start for nothing.
 * Any other answer (no table, a failed or a missing migration, a store newer than this build, a query that fails)
 * leaves the store to Flyway, which migrates, waits for another node's migration or refuses, as it always did. What a
 * store at the newest version is not asked again is whether an applied migration's text changed since: the migrations
 * are this build's own, never edited once released.
 */
final class AppliedMigrations {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AppliedMigrations.class);

    private AppliedMigrations() {}

    /**
     * Whether the store (in {@code schema}, or the connection's own for null) has every migration and no failed one.
     */
    static boolean upToDate(DataSource dataSource, Dialect dialect, String schema) {
        String table = (schema == null ? "" : schema + ".") + "flyway_schema_history";
        String sql = "SELECT max(CASE WHEN success THEN 0 ELSE 1 END), max(CAST(version AS INTEGER)) FROM " + table
                + " WHERE version IS NOT NULL";
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            if (!r.next()) return false;
            int failed = r.getInt(1);
            int newest = r.getInt(2);
            return !r.wasNull() && failed == 0 && newest == dialect.newestMigration();
        } catch (SQLException e) {
            log.debug("the store's migrations could not be read ({}); Flyway looks at them", e.getMessage());
            return false;
        }
    }
}

package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.engine.PostgresTestDatabase;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * A start skips Flyway only for a store at the newest migration with none failed; a store one migration behind is
 * migrated as before, on both stores.
 */
class AppliedMigrationsTest {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    @TempDir
    Path dir;

    @Test
    void eachDialectNamesTheNewestMigrationInItsFolder() throws Exception {
        for (Dialect dialect : Dialect.values()) {
            assertThat(dialect.newestMigration()).as(dialect.name()).isEqualTo(newestInFolder(dialect));
        }
    }

    @Test
    void sqliteStoreOneMigrationBehindIsMigrated() throws Exception {
        DataSource sqlite = sqlite();
        flyway(sqlite, Dialect.SQLITE, null)
                .target(String.valueOf(Dialect.SQLITE.newestMigration() - 1))
                .load()
                .migrate();
        assertThat(AppliedMigrations.upToDate(sqlite, Dialect.SQLITE, null)).isFalse();

        StoreFactory.sqlite(dir, false).close();

        assertThat(newestApplied(sqlite, null)).isEqualTo(Dialect.SQLITE.newestMigration());
        assertThat(AppliedMigrations.upToDate(sqlite, Dialect.SQLITE, null)).isTrue();
    }

    @Test
    void sqliteStoreAtTheNewestMigrationIsNotHandedToFlyway() throws Exception {
        StoreFactory.sqlite(dir, false).close();
        DataSource sqlite = sqlite();
        // an applied migration whose recorded checksum no longer matches: Flyway's validation refuses the store
        execute(sqlite, "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
        assertThatThrownBy(() -> flyway(sqlite, Dialect.SQLITE, null).load().migrate())
                .hasMessageContaining("checksum");

        StoreFactory.sqlite(dir, false).close(); // not validated again: the start skipped Flyway
    }

    @Test
    void aFailedMigrationLeavesTheStoreToFlyway() throws Exception {
        StoreFactory.sqlite(dir, false).close();
        DataSource sqlite = sqlite();
        assertThat(AppliedMigrations.upToDate(sqlite, Dialect.SQLITE, null)).isTrue();
        execute(sqlite, "UPDATE flyway_schema_history SET success = 0 WHERE version = '2'");
        assertThat(AppliedMigrations.upToDate(sqlite, Dialect.SQLITE, null)).isFalse();
    }

    @Test
    void aStoreWithoutMigrationsIsLeftToFlyway() {
        assertThat(AppliedMigrations.upToDate(sqlite(), Dialect.SQLITE, null)).isFalse();
    }

    @Test
    void postgresSchemaOneMigrationBehindIsMigratedAndThenSkipped() throws Exception {
        String schema = PostgresTestDatabase.newSchema();
        try {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(PostgresTestDatabase.url(schema));
            assertThat(AppliedMigrations.upToDate(pg, Dialect.POSTGRESQL, schema))
                    .isFalse();
            flyway(pg, Dialect.POSTGRESQL, schema)
                    .target(String.valueOf(Dialect.POSTGRESQL.newestMigration() - 1))
                    .load()
                    .migrate();
            assertThat(AppliedMigrations.upToDate(pg, Dialect.POSTGRESQL, schema))
                    .isFalse();

            StoreFactory.postgres(PostgresTestDatabase.url(schema)).close();

            assertThat(newestApplied(pg, schema)).isEqualTo(Dialect.POSTGRESQL.newestMigration());
            assertThat(AppliedMigrations.upToDate(pg, Dialect.POSTGRESQL, schema))
                    .isTrue();
            execute(pg, "UPDATE " + schema + ".flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
            StoreFactory.postgres(PostgresTestDatabase.url(schema)).close(); // skipped: not validated again
        } finally {
            PostgresTestDatabase.drop(schema);
        }
    }

    private SQLiteDataSource sqlite() {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("tern.db").toAbsolutePath());
        return sqlite;
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(
            DataSource dataSource, Dialect dialect, String schema) {
        var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:" + dialect.migrations());
        return schema == null ? flyway : flyway.schemas(schema).createSchemas(true);
    }

    private static int newestApplied(DataSource dataSource, String schema) throws SQLException {
        String table = (schema == null ? "" : schema + ".") + "flyway_schema_history";
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                var r = s.executeQuery("SELECT max(CAST(version AS INTEGER)) FROM " + table)) {
            r.next();
            return r.getInt(1);
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static int newestInFolder(Dialect dialect) throws IOException, URISyntaxException {
        Path folder = Path.of(AppliedMigrationsTest.class
                .getClassLoader()
                .getResource(dialect.migrations())
                .toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max()
                    .orElseThrow();
        }
    }
}

package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * SQLite's readers, pooled as the store pools them, keep their prepared statements: the same read prepared again takes
 * the kept statement back, sees every commit made before it runs again, is never shared while open, and is closed with
 * its connection.
 */
class KeptStatementsTest {
    private static final String BY_ID = "SELECT status FROM runs WHERE id = ?";

    @TempDir
    Path dir;

    private SQLiteDataSource sqlite;
    private HikariDataSource readers;
    private Connection writer;

    @BeforeEach
    void open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("kept.db"));
        writer = sqlite.getConnection();
        try (Statement s = writer.createStatement()) {
            s.execute("CREATE TABLE runs (id TEXT PRIMARY KEY, status TEXT NOT NULL)");
            s.execute("INSERT INTO runs VALUES ('a', 'queued'), ('b', 'running')");
        }
        readers = StoreFactory.sqliteReaders(sqlite);
    }

    @AfterEach
    void close() throws SQLException {
        readers.close();
        writer.close();
    }

    private long compiled() throws SQLException {
        return readers.unwrap(KeptStatements.class).compiled();
    }

    private String status(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BY_ID)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void write(String id, String status) throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement("UPDATE runs SET status = ? WHERE id = ?")) {
            ps.setString(1, status);
            ps.setString(2, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void aReadPreparedAgainIsCompiledOnceAndBindsItsNewParameters() throws SQLException {
        for (int i = 0; i < 100; i++) {
            try (Connection c = readers.getConnection()) {
                assertThat(status(c, i % 2 == 0 ? "a" : "b")).isEqualTo(i % 2 == 0 ? "queued" : "running");
                assertThat(status(c, "missing")).isNull();
            }
        }
        // one compilation per connection the pool opened for the reads, not per read
        assertThat(compiled()).isBetween(1L, 8L);
    }

    @Test
    void aKeptStatementComesBackWithoutTheParametersItWasGivenBackWith() throws SQLException {
        try (Connection c = readers.getConnection()) {
            assertThat(status(c, "a")).isEqualTo("queued");
            try (PreparedStatement ps = c.prepareStatement(BY_ID);
                    ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next())
                        .as("an unbound parameter is null, as in a new statement")
                        .isFalse();
            }
        }
        assertThat(compiled()).isEqualTo(1);
    }

    @Test
    void aKeptStatementSeesWhatWasCommittedSinceItLastRan() throws SQLException {
        try (Connection c = readers.getConnection()) {
            assertThat(status(c, "a")).isEqualTo("queued");
            write("a", "running");
            assertThat(status(c, "a")).isEqualTo("running");
            // a user who leaves its result set open: the statement given back is reset, holding no old snapshot
            PreparedStatement ps = c.prepareStatement(BY_ID);
            ps.setString(1, "a");
            ResultSet left = ps.executeQuery();
            assertThat(left.next()).isTrue();
            ps.close();
            assertThat(left.isClosed()).isTrue();
            write("a", "completed");
            assertThat(status(c, "a")).isEqualTo("completed");
        }
        assertThat(compiled()).isEqualTo(1);
    }

    @Test
    void theSameReadInsideAnOpenOneGetsAStatementOfItsOwn() throws SQLException {
        try (Connection c = readers.getConnection();
                PreparedStatement outer = c.prepareStatement(BY_ID)) {
            outer.setString(1, "a");
            try (ResultSet rs = outer.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(status(c, "b")).isEqualTo("running");
                assertThat(rs.getString(1)).isEqualTo("queued");
            }
            assertThat(compiled()).isEqualTo(2);
        }
        try (Connection c = readers.getConnection()) {
            assertThat(status(c, "b")).isEqualTo("running");
        }
        assertThat(compiled()).isEqualTo(2);
    }

    @Test
    void theLeastRecentlyUsedStatementGoesWhenMoreAreKept() throws SQLException {
        try (Connection c = readers.getConnection()) {
            PreparedStatement driver;
            try (PreparedStatement ps = c.prepareStatement(BY_ID)) {
                driver = ps.unwrap(org.sqlite.jdbc4.JDBC4PreparedStatement.class); // the driver's, under the pool's
            }
            for (int i = 1; i <= KeptStatements.PER_CONNECTION; i++) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + i + ", status FROM runs WHERE id = ?")) {
                    ps.setString(1, "a");
                    ps.executeQuery().close();
                }
            }
            assertThat(driver.isClosed()).isTrue(); // pushed out by the newer ones, and closed
            long before = compiled();
            status(c, "a"); // compiled again
            assertThat(compiled()).isEqualTo(before + 1);
            try (PreparedStatement ps = c.prepareStatement("SELECT 2, status FROM runs WHERE id = ?")) {
                ps.setString(1, "b");
                ps.executeQuery().close();
            }
            assertThat(compiled()).isEqualTo(before + 1); // still kept
        }
    }

    @Test
    void aStatementClosedByItsUserCannotBeUsedAndClosingTheConnectionClosesWhatItKept() throws SQLException {
        Connection physical = KeptStatements.around(sqlite).getConnection();
        PreparedStatement ps = physical.prepareStatement(BY_ID);
        PreparedStatement driver = ps.unwrap(PreparedStatement.class);
        ps.close();
        assertThat(ps.isClosed()).isTrue();
        assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class);
        assertThat(driver.isClosed()).isFalse();
        physical.close();
        assertThat(driver.isClosed()).isTrue();
        assertThatThrownBy(() -> physical.prepareStatement(BY_ID)).isInstanceOf(SQLException.class);
    }
}

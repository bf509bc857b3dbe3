package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.engine.LiveToken;
import dev.tern.engine.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two Tern clusters in two schemas of one PostgreSQL database: notification channels belong to the database, so each
 * store names its own after its schema, and neither cluster hears the other's signals or streamed tokens.
 */
class PostgresChannelTest {
    private final String schemaA = PostgresTestDatabase.newSchema();
    private final String schemaB = PostgresTestDatabase.newSchema();
    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) c.close();
        PostgresTestDatabase.drop(schemaA);
        PostgresTestDatabase.drop(schemaB);
    }

    @Test
    void aClusterHearsOnlyTheSignalsOfItsOwnSchema() {
        RunStore a = open(schemaA);
        RunStore b = open(schemaB);
        List<Signal> heardInA = new CopyOnWriteArrayList<>();
        List<Signal> heardInB = new CopyOnWriteArrayList<>();
        listen(a, heardInA);
        listen(b, heardInB);

        // A queued run notifies WORK as it commits; each listener hears notifications in commit order, so once B hears
        // its own run, which committed after A's, it would have heard A's before it
        awaitHeard(a, heardInA, "run_a_warm");
        awaitHeard(b, heardInB, "run_b_warm");
        queue(a, "run_a");
        queue(b, "run_b");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heard(heardInB, "run_b"));
        queue(a, "run_a_after");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heard(heardInA, "run_a_after"));

        assertThat(heardInA).as("A heard its own runs").anyMatch(s -> "run_a".equals(s.runId()));
        assertThat(heardInA)
                .as("A never heard B's")
                .noneMatch(s -> s.runId() != null && s.runId().startsWith("run_b"));
        assertThat(heardInB)
                .as("B never heard A's")
                .noneMatch(s -> s.runId() != null && s.runId().startsWith("run_a"));
    }

    @Test
    void tokensStreamedInOneSchemaReachOnlyItsOwnNodes() {
        RunStore a1 = open(schemaA);
        RunStore a2 = open(schemaA);
        RunStore b1 = open(schemaB);
        RunStore b2 = open(schemaB);
        List<LiveToken> inA = new CopyOnWriteArrayList<>();
        List<LiveToken> inB = new CopyOnWriteArrayList<>();
        a2.tokenRelay().subscribe(inA::add);
        b2.tokenRelay().subscribe(inB::add);
        // a node's listener starts with its first subscription: publish until each side hears its own
        awaitRelayed(a1, inA, "run_a_warm");
        awaitRelayed(b1, inB, "run_b_warm");

        publish(a1, "run_a", "from A");
        publish(b1, "run_b", "from B");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> inB.stream().anyMatch(t -> t.runId().equals("run_b")));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> inA.stream().anyMatch(t -> t.runId().equals("run_a")));

        assertThat(inA).extracting(LiveToken::text).doesNotContain("from B");
        assertThat(inB).extracting(LiveToken::text).doesNotContain("from A");
        assertThat(inA)
                .filteredOn(t -> t.runId().equals("run_a"))
                .extracting(LiveToken::text)
                .containsExactly("from A");
    }

    @Test
    void theChannelIsNamedAfterTheSchemaItsConnectionWorksIn() throws Exception {
        open(schemaA);
        try (Connection c = DriverManager.getConnection(PostgresTestDatabase.url(schemaA));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT " + PostgresChannel.SIGNALS.sql() + ", " + PostgresChannel.TOKENS.sql())) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("tern_signals_" + schemaA);
            assertThat(rs.getString(2)).isEqualTo("tern_tokens_" + schemaA);
        }
    }

    @Test
    void aSchemaNameTooLongForTheChannelsIsRefusedBeforeAnythingIsCreated() throws Exception {
        String longest = "s".repeat(50);
        String tooLong = "s".repeat(51);
        assertThatThrownBy(() -> StoreFactory.postgres(PostgresTestDatabase.url(tooLong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the PostgreSQL schema name '" + tooLong + "' is 51 bytes long; Tern names its notification"
                        + " channels after the schema and allows at most 50 bytes (a shorter currentSchema in the"
                        + " database URL)");
        try (Connection c = DriverManager.getConnection(PostgresTestDatabase.url("public"));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + tooLong + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("no schema was created").isZero();
        }
        try {
            RunStore fits = StoreFactory.postgres(PostgresTestDatabase.url(longest));
            List<Signal> heard = new CopyOnWriteArrayList<>();
            try (AutoCloseable listening = fits.listen(heard::add)) {
                awaitListening(heard);
                awaitHeard(fits, heard, "run_longest");
            } finally {
                fits.close();
            }
        } finally {
            PostgresTestDatabase.drop(longest);
        }
    }

    private RunStore open(String schema) {
        RunStore store = StoreFactory.postgres(PostgresTestDatabase.url(schema));
        opened.add(store);
        return store;
    }

    /** Listens on {@code store} and returns once its listener is connected (a notification sent before is lost). */
    private void listen(RunStore store, List<Signal> heard) {
        opened.add(store.listen(heard::add));
        awaitListening(heard);
    }

    /** The listener says it is listening with a {@code WORK} signal for no run, right after its {@code LISTEN}. */
    private static void awaitListening(List<Signal> heard) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> heard.stream().anyMatch(s -> s.kind() == Signal.Kind.WORK && s.runId() == null));
    }

    private static void queue(RunStore store, String runId) {
        RunStoreContractTest.await(
                store.createRun(new NewRun(runId, "agent", "w", "{}", RunStoreContractTest.T0, null, null)));
    }

    private static boolean heard(List<Signal> heard, String runId) {
        return heard.stream().anyMatch(s -> s.kind() == Signal.Kind.WORK && runId.equals(s.runId()));
    }

    /** Queues a run and waits until the store's own listener heard it, so the listener is known to be listening. */
    private static void awaitHeard(RunStore store, List<Signal> heard, String runId) {
        queue(store, runId);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> heard(heard, runId));
    }

    private static void publish(RunStore store, String runId, String text) {
        store.tokenRelay().publish(new LiveToken(runId, 1, 1, text));
        store.tokenRelay().flush();
    }

    private static void awaitRelayed(RunStore store, List<LiveToken> heard, String runId) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    publish(store, runId, "warm");
                    return heard.stream().anyMatch(t -> t.runId().equals(runId));
                });
    }
}

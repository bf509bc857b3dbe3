package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node's listener passes on every notification but the signals for one run its own writer lanes sent: the node told
 * itself of those as they committed, and their echo would wake the run twice (or the dispatcher for nothing).
 */
class PostgresListenerTest {
    private final String schema = PostgresTestDatabase.newSchema();
    private final String url = PostgresTestDatabase.url(schema);
    private final List<Signal> heard = new CopyOnWriteArrayList<>();
    private final WriterBackends backends = new WriterBackends(2);
    private Connection lane;
    private Connection otherNode;
    private PostgresListener listener;

    @BeforeEach
    void open() throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        lane = backends.track(1, DriverManager.getConnection(url));
        otherNode = DriverManager.getConnection(url);
        listener = new PostgresListener(url, heard::add, RunAnnouncer.NONE, backends);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> heard.contains(new Signal(Signal.Kind.WORK, null)));
    }

    @AfterEach
    void close() throws SQLException {
        listener.close();
        lane.close();
        otherNode.close();
        PostgresTestDatabase.drop(schema);
    }

    @Test
    void theSignalsForOneRunItsOwnLanesSentAreNotHeardAgain() throws SQLException {
        notify(lane, "EVENT:run_own_event");
        notify(lane, "CANCEL:run_own_cancel");
        notify(lane, "WORK:run_own_work");
        notify(otherNode, "EVENT:run_other_event");
        notify(otherNode, "CANCEL:run_other_cancel");
        notify(otherNode, "WORK:run_last");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> heard.stream().anyMatch(s -> "run_last".equals(s.runId())));

        assertThat(heard)
                .extracting(Signal::runId)
                .contains("run_own_work", "run_other_event", "run_other_cancel")
                .doesNotContain("run_own_event", "run_own_cancel");
    }

    private static void notify(Connection c, String payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PostgresRunWrites.NOTIFY)) {
            ps.setString(1, payload);
            ps.execute();
        }
    }
}

package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run's input is stored once, in its row: its {@code run_created} event is stored without it and read back with it,
 * where it always stood; an event stored with its own copy (before) is read as stored. On both stores.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class CreatedInputTest {
    record In(String text) {}

    record Out(int length) {}

    /** An agent's input of some size: a document it is asked about. */
    static final String DOCUMENT = "The quick brown fox. ".repeat(2_500);

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    EngineFixture fixture;
    TernEngine engine;

    @BeforeEach
    void start() {
        fixture = new EngineFixture(store, dir);
        engine = fixture.start(definitions());
    }

    private static Definitions definitions() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of(
                        "summarise",
                        In.class,
                        Out.class,
                        (ctx, in) -> new Out(
                                ctx.step("read", Integer.class, () -> in.text().length()))))
                .build();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void theInputIsStoredOnceAndReadBackInTheCreatedEvent() throws Exception {
        String id = engine.start("summarise", new In(DOCUMENT));
        assertThat(engine.awaitCompletion(id, Duration.ofSeconds(30)).status()).isEqualTo(RunStatus.COMPLETED);

        HistoryEvent created = engine.history(id, 0, 10).get(0);
        assertThat(created.type()).isEqualTo(HistoryEventType.RUN_CREATED);
        assertThat(created.data().path("input").path("text").asText()).isEqualTo(DOCUMENT);
        assertThat(fieldNames(created.data())).startsWith("kind", "name", "input");
        assertThat(created.data().path("name").asText()).isEqualTo("summarise");

        assertThat(stored("SELECT input FROM runs WHERE id = ?", id)).contains(DOCUMENT);
        String event = stored("SELECT data FROM history WHERE run_id = ? AND event_seq = 1", id);
        assertThat(event).doesNotContain("quick brown fox").doesNotContain("\"input\"");
        assertThat(event.length()).isLessThan(200);

        // a later page holds no run_created event and is read as stored
        assertThat(engine.history(id, 1, 10))
                .extracting(HistoryEvent::type)
                .doesNotContain(HistoryEventType.RUN_CREATED);
    }

    @Test
    void aCreatedEventStoredWithItsInputIsReadAsStored() throws Exception {
        String id = engine.start("summarise", new In("short"));
        engine.awaitCompletion(id, Duration.ofSeconds(30));
        fixture.crash(); // the embedded store's writer holds the database's write lock while it runs
        update(
                "UPDATE history SET data = ? WHERE run_id = ? AND event_seq = 1",
                "{\"kind\":\"workflow\",\"name\":\"summarise\",\"input\":{\"text\":\"as recorded\"}}",
                id);
        engine = fixture.start(definitions());

        JsonNode data = engine.history(id, 0, 10).get(0).data();
        assertThat(data.path("input").path("text").asText()).isEqualTo("as recorded");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private String stored(String sql, String runId) throws SQLException {
        try (Connection c = DriverManager.getConnection(fixture.jdbcUrl());
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private void update(String sql, String value, String runId) throws SQLException {
        try (Connection c = DriverManager.getConnection(fixture.jdbcUrl());
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, value);
            s.setString(2, runId);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}

package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteDataSource;

/**
 * A step's start written with its completion is one history row on the store's own schema ({@link StepStartFold}), in a
 * batch whose rows go in at its end and in a write's own statement alike, and is read back as both events exactly as
 * written, from every cursor and at every page size; a start its completion cannot give back keeps its own row; the
 * times each step was started count folded starts too.
 */
class StepStartFoldTest {
    static final Instant T0 = Instant.parse("2026-12-07T15:00:00Z");
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    GroupCommitWriter writer;
    RunReader reader;

    @AfterEach
    void close() {
        if (writer != null) writer.close();
    }

    void open(boolean deferRows) {
        StoreFactory.sqlite(dir, false).close(); // the store's schema, migrated
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("tern.db"));
        writer = new GroupCommitWriter(
                sqlite::getConnection, 1024, "test-writer", GroupCommitWriter.Leaders.NONE, deferRows);
        reader = new RunReader(sqlite);
    }

    static ObjectNode data(String name, int attempt) {
        return NODES.objectNode().put("name", name).put("attempt", attempt);
    }

    static HistoryAppend started(int step, Instant at, ObjectNode data) {
        return new HistoryAppend(HistoryEventType.STEP_STARTED, at, step, data);
    }

    static HistoryAppend completed(int step, Instant at, ObjectNode data) {
        return new HistoryAppend(HistoryEventType.STEP_COMPLETED, at, step, data);
    }

    /** Writes {@code events} numbered from 1 in one write, with the attempts given, and waits for the commit. */
    void write(String runId, List<Integer> attempts, List<HistoryAppend> events) throws Exception {
        writer.submit(tx -> {
                    HistoryRows.insertAll(tx, runId, 1, attempts, events);
                    return 0;
                })
                .get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "rows deferred to the batch's end: {0}")
    @ValueSource(booleans = {true, false})
    void aStepsStartWrittenWithItsCompletionIsOneRowReadBackAsBoth(boolean deferRows) throws Exception {
        open(deferRows);
        List<HistoryAppend> events = List.of(
                started(0, T0, data("fetch", 1)),
                completed(0, T0.plusMillis(7), data("fetch", 1).put("durationMs", 7)),
                started(1, T0.plusMillis(9), data("answer", 2)),
                completed(1, T0.plusMillis(40), data("answer", 2).put("durationMs", 31)),
                new HistoryAppend(HistoryEventType.RUN_COMPLETED, T0.plusMillis(41), null, NODES.objectNode()));
        write("run_a", List.of(1, 1, 1, 1, 1), events);

        assertThat(count("SELECT count(*) FROM history WHERE run_id = 'run_a'")).isEqualTo(3);
        List<HistoryEvent> all = reader.history("run_a", 0, 100);
        assertThat(all).hasSize(5);
        for (int i = 0; i < events.size(); i++) {
            HistoryAppend e = events.get(i);
            assertThat(all.get(i))
                    .as("event %d", i + 1)
                    .isEqualTo(new HistoryEvent("run_a", i + 1, e.type(), e.at(), 1, e.stepSeq(), e.data()));
        }
        for (int after = 0; after <= events.size(); after++) {
            for (int limit = 1; limit <= 3; limit++) {
                assertThat(reader.history("run_a", after, limit))
                        .as("after %d, %d a page", after, limit)
                        .isEqualTo(all.subList(after, Math.min(all.size(), after + limit)));
            }
        }
        assertThat(reader.stepStartsOf(List.of("run_a"))).isEqualTo(Map.of("run_a", Map.of(0, 1, 1, 1)));
    }

    @ParameterizedTest(name = "rows deferred to the batch's end: {0}")
    @ValueSource(booleans = {true, false})
    void aStartItsCompletionCannotGiveBackKeepsItsOwnRow(boolean deferRows) throws Exception {
        open(deferRows);
        List<List<HistoryAppend>> pairs = List.of(
                // the start says more than the completion holds
                List.of(
                        started(0, T0, data("a", 1).put("note", "x")),
                        completed(0, T0, data("a", 1).put("durationMs", 1))),
                // another step's completion
                List.of(
                        started(0, T0, data("a", 1)),
                        completed(1, T0, data("a", 1).put("durationMs", 1))),
                // a completion without its duration
                List.of(started(0, T0, data("a", 1)), completed(0, T0, data("a", 1))),
                // a duration that is not a whole number
                List.of(
                        started(0, T0, data("a", 1)),
                        completed(0, T0, data("a", 1).put("durationMs", 1.5))),
                // a completion of another step's name
                List.of(
                        started(0, T0, data("a", 1)),
                        completed(0, T0, data("b", 1).put("durationMs", 1))));
        for (int p = 0; p < pairs.size(); p++) {
            String runId = "run_" + p;
            write(runId, List.of(1, 1), pairs.get(p));
            assertThat(count("SELECT count(*) FROM history WHERE run_id = '" + runId + "'"))
                    .as("pair %d", p)
                    .isEqualTo(2);
            List<HistoryEvent> read = reader.history(runId, 0, 100);
            assertThat(read.stream().map(HistoryEvent::data).toList())
                    .as("pair %d", p)
                    .containsExactly(
                            pairs.get(p).get(0).data(), pairs.get(p).get(1).data());
        }
        // the start of another attempt than its completion's
        write(
                "run_x",
                List.of(1, 2),
                List.of(
                        started(0, T0, data("a", 1)),
                        completed(0, T0, data("a", 1).put("durationMs", 1))));
        assertThat(count("SELECT count(*) FROM history WHERE run_id = 'run_x'")).isEqualTo(2);
        assertThat(reader.history("run_x", 0, 100).stream()
                        .map(HistoryEvent::attempt)
                        .toList())
                .containsExactly(1, 2);
    }

    @ParameterizedTest(name = "rows deferred to the batch's end: {0}")
    @ValueSource(booleans = {true, false})
    void stepStartsCountFoldedAndLoneStartsAlike(boolean deferRows) throws Exception {
        open(deferRows);
        // step 0 started alone in attempt 1 (its process died), then started and completed together in attempt 2
        write("run_r", List.of(1), List.of(started(0, T0, data("a", 1))));
        writer.submit(tx -> {
                    HistoryRows.insertAll(
                            tx,
                            "run_r",
                            2,
                            List.of(2, 2),
                            List.of(
                                    started(0, T0, data("a", 2)),
                                    completed(0, T0, data("a", 2).put("durationMs", 3))));
                    return 0;
                })
                .get(10, TimeUnit.SECONDS);

        assertThat(count("SELECT count(*) FROM history WHERE run_id = 'run_r'")).isEqualTo(2);
        assertThat(reader.stepStartsOf(List.of("run_r"))).isEqualTo(Map.of("run_r", Map.of(0, 2)));
        List<HistoryEventType> types = new ArrayList<>();
        for (HistoryEvent e : reader.history("run_r", 0, 100)) types.add(e.type());
        assertThat(types)
                .containsExactly(
                        HistoryEventType.STEP_STARTED, HistoryEventType.STEP_STARTED, HistoryEventType.STEP_COMPLETED);
    }

    long count(String sql) throws SQLException {
        return DeferredRowsTest.count(dir, sql);
    }
}

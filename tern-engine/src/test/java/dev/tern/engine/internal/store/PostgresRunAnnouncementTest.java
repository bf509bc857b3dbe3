package dev.tern.engine.internal.store;

import static dev.tern.engine.internal.store.RunStoreContractTest.T0;
import static dev.tern.engine.internal.store.RunStoreContractTest.await;
import static dev.tern.engine.internal.store.RunStoreContractTest.create;
import static dev.tern.engine.internal.store.RunStoreContractTest.end;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.HistoryEventType;
import dev.tern.engine.PostgresTestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' stores on one schema: a node hears of another node's history changes and run ends only while it says its
 * waiters look (no notification per commit that nobody waits for), and then promptly.
 */
class PostgresRunAnnouncementTest {
    private final String schema = PostgresTestDatabase.newSchema();
    private final RunStore writer = StoreFactory.postgres(PostgresTestDatabase.url(schema));
    private final RunStore watcher = StoreFactory.postgres(PostgresTestDatabase.url(schema));
    private final List<Signal> heard = new CopyOnWriteArrayList<>();
    private final AutoCloseable listening = watcher.listen(heard::add);
    // every node listens (an engine always does): that is how the writing node hears that another one watches
    private final AutoCloseable writerListening = writer.listen(signal -> {});

    @AfterEach
    void close() throws Exception {
        listening.close();
        writerListening.close();
        writer.close();
        watcher.close();
        PostgresTestDatabase.drop(schema);
    }

    @Test
    void historyAndEndsAreAnnouncedToAnotherNodeOnlyWhileItWatches() throws Exception {
        create(writer, "run_h", "node-a");
        create(writer, "run_e", "node-a");
        append(writer, "run_h");
        assertThat(await(writer.finishRun(end("run_e", 1, null, true))).ended()).isTrue();
        // they committed; give a notification, had one been sent, time to arrive
        Thread.sleep(1_500);
        assertThat(signals(Signal.Kind.HISTORY, "run_h")).as("nobody watched").isZero();
        assertThat(signals(Signal.Kind.DONE, "run_e")).as("nobody watched").isZero();

        watcher.watchingRuns();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    append(writer, "run_h");
                    return signals(Signal.Kind.HISTORY, "run_h") > 0;
                });
        create(writer, "run_d", "node-a");
        assertThat(await(writer.finishRun(end("run_d", 1, null, true))).ended()).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> signals(Signal.Kind.DONE, "run_d") > 0);

        // a node's own watching does not make it announce to itself: its writes reach its waiters directly
        create(watcher, "run_w", "node-b");
        append(watcher, "run_w");
        Thread.sleep(500);
        assertThat(signals(Signal.Kind.HISTORY, "run_w")).isZero();
    }

    private static void append(RunStore store, String runId) {
        await(store.appendHistory(runId, HistoryEventType.EVENT_RECEIVED, T0, 1, null, null));
    }

    private long signals(Signal.Kind kind, String runId) {
        return heard.stream()
                .filter(s -> s.kind() == kind && runId.equals(s.runId()))
                .count();
    }
}

package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.internal.store.NewRun;
import dev.tern.engine.internal.store.StoredRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link FinishWatch}: a waiter for a run executing here reads it once it ended, and only a waiter for a run executing
 * elsewhere tells other nodes that runs are watched (they then announce ends and history changes).
 */
class FinishWatchTest {
    static StoredRun stored(String id, String status) {
        StoredRun run = new NewRun(id, "workflow", "w", "{}", Instant.ofEpochMilli(1_000), null, null).inserted();
        return new StoredRun(
                run.id(),
                run.kind(),
                run.name(),
                RunStatus.fromWire(status).orElseThrow(),
                run.input(),
                run.output(),
                run.error(),
                run.createdAt(),
                run.startedAt(),
                run.completedAt(),
                run.updatedAt(),
                run.attempt(),
                run.owner(),
                run.suspended(),
                run.wakeAt(),
                run.cancelRequested(),
                run.lastEventSeq(),
                run.deadlineAt(),
                run.idempotencyKey(),
                run.webhookUrl(),
                run.links(),
                run.waiting(),
                run.budget(),
                run.modelChoice(),
                run.orgId(),
                run.release(),
                run.version());
    }

    @Test
    void aRunThatEndedHereIsReadWithoutAskingOtherNodesToAnnounce() throws Exception {
        AtomicInteger watched = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        AtomicBoolean executing = new AtomicBoolean(true);
        FinishWatch watch = new FinishWatch(watched::incrementAndGet, ids -> {
            reads.incrementAndGet();
            return List.of(stored(ids.get(0), executing.get() ? "running" : "completed"));
        });
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<RunRecord> waiting =
                    threads.submit(() -> watch.await("run_here", Duration.ofSeconds(30), id -> executing.get()));
            Thread.sleep(200);
            assertThat(reads)
                    .as("a run executing here is not read before it ends")
                    .hasValue(0);
            executing.set(false);
            watch.finished("run_here");
            assertThat(waiting.get(20, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.COMPLETED);
        }
        assertThat(reads).hasValue(1);
        assertThat(watched).as("nobody elsewhere was asked to announce").hasValue(0);
    }

    @Test
    void aRunThatEndedHereBeforeAnyoneAskedIsAnsweredWithoutARead() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        FinishWatch watch = new FinishWatch(() -> {}, ids -> {
            reads.incrementAndGet();
            return List.of(stored(ids.get(0), "completed"));
        });
        RunRecord first = stored("run_first", "completed").toRecord();
        watch.finished("run_first", first);
        assertThat(watch.await("run_first", Duration.ofSeconds(30), id -> false))
                .isSameAs(first);
        assertThat(watch.awaitRun("run_first", (kind, name) -> true, Duration.ofSeconds(30), null))
                .containsSame(first);
        assertThat(watch.awaitRun("run_first", (kind, name) -> true, Duration.ZERO, null))
                .as("a zero wait, as a client polling without one asks")
                .containsSame(first);
        assertThat(watch.awaitRun("run_first", (kind, name) -> name.equals("another"), Duration.ZERO, null))
                .as("asked for under another name")
                .isEmpty();
        assertThat(reads).as("all answered from the end").hasValue(0);

        // the ends kept are bounded: after as many others, the first is read again
        for (int i = 0; i < RecentEnds.CAPACITY; i++) {
            watch.finished("run_" + i, stored("run_" + i, "completed").toRecord());
        }
        assertThat(watch.await("run_" + (RecentEnds.CAPACITY - 1), Duration.ofSeconds(30), id -> false)
                        .id())
                .isEqualTo("run_" + (RecentEnds.CAPACITY - 1));
        assertThat(reads).hasValue(0);
        assertThat(watch.await("run_first", Duration.ofSeconds(30), id -> false).status())
                .isEqualTo(RunStatus.COMPLETED);
        assertThat(reads).as("the oldest end was let go").hasValue(1);
    }

    @Test
    void aRunExecutingElsewhereIsWatched() throws Exception {
        AtomicInteger watched = new AtomicInteger();
        FinishWatch watch = new FinishWatch(watched::incrementAndGet, ids -> List.of(stored(ids.get(0), "completed")));
        RunRecord run = watch.await("run_there", Duration.ofSeconds(30), id -> false);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(watched).hasValue(1);
    }
}

package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tern.engine.internal.store.NewRun;
import dev.tern.engine.internal.store.StoredRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@link GroupRead}: callers that ask while a read is in flight are read together by one of them, next. */
class GroupReadTest {
    static StoredRun run(String id) {
        return new NewRun(id, "workflow", "w", "{}", Instant.ofEpochMilli(1_000), null, null).inserted();
    }

    /** A store that records each read's ids and holds the first read until released. */
    static final class Store implements Function<List<String>, List<StoredRun>> {
        final List<List<String>> reads = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public List<StoredRun> apply(List<String> ids) {
            reads.add(ids);
            if (reads.size() == 1) {
                firstStarted.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ids.stream()
                    .filter(id -> !id.startsWith("missing"))
                    .map(GroupReadTest::run)
                    .toList();
        }
    }

    @Test
    void aLoneCallerReadsItsOwnRun() {
        Store store = new Store();
        store.release.countDown();
        GroupRead reads = new GroupRead(store);
        assertThat(reads.read("run_a")).map(RunRecord::id).contains("run_a");
        assertThat(reads.read("missing_b")).isEmpty();
        assertThat(store.reads).containsExactly(List.of("run_a"), List.of("missing_b"));
    }

    @Test
    void callersArrivingDuringARead_areReadTogetherInTheNext() throws Exception {
        Store store = new Store();
        GroupRead reads = new GroupRead(store);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Optional<RunRecord>> first = threads.submit(() -> reads.read("run_first"));
            assertThat(store.firstStarted.await(20, TimeUnit.SECONDS)).isTrue();
            List<Future<Optional<RunRecord>>> others = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = i == 7 ? "missing_7" : "run_" + i;
                others.add(threads.submit(() -> reads.read(id)));
            }
            // every later caller has queued behind the read in flight before it is let go
            while (reads.waiting() < 20) Thread.sleep(5);
            store.release.countDown();

            assertThat(first.get(20, TimeUnit.SECONDS)).map(RunRecord::id).contains("run_first");
            for (int i = 0; i < 20; i++) {
                Optional<RunRecord> got = others.get(i).get(20, TimeUnit.SECONDS);
                if (i == 7) assertThat(got).as("a run that does not exist").isEmpty();
                else assertThat(got).map(RunRecord::id).contains("run_" + i);
            }
        }
        assertThat(store.reads)
                .as("one read for the first caller, one for the twenty that waited")
                .hasSize(2);
        assertThat(store.reads.get(1)).hasSize(20);
    }

    @Test
    void aFailedReadFailsEveryCallerInItAndTheNextReadIsMade() {
        List<List<String>> seen = new ArrayList<>();
        GroupRead reads = new GroupRead(ids -> {
            seen.add(ids);
            if (seen.size() == 1) throw new IllegalStateException("store down");
            return ids.stream().map(GroupReadTest::run).toList();
        });
        assertThatThrownBy(() -> reads.read("run_a")).hasMessage("store down");
        assertThat(reads.read("run_b")).map(RunRecord::id).contains("run_b");
    }
}

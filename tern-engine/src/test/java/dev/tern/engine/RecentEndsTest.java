package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link RecentEnds}: the last 64 runs, each for a minute at most, one slot per run however often it is told of. */
class RecentEndsTest {
    static RunRecord ended(String id) {
        return FinishWatchTest.stored(id, "completed").toRecord();
    }

    @Test
    void aRunIsKeptForAMinuteAtMost() {
        AtomicLong now = new AtomicLong(1_000);
        RecentEnds recent = new RecentEnds(now::get);
        RunRecord run = ended("run_a");
        recent.keep(run);
        now.addAndGet(RecentEnds.MAX_AGE_NANOS);
        assertThat(recent.ended("run_a")).isSameAs(run);
        now.incrementAndGet();
        assertThat(recent.ended("run_a")).as("older than a minute").isNull();
        assertThat(recent.ended("run_never")).isNull();
    }

    @Test
    void theOldestGoesFirstAndARunToldTwiceTakesOneSlot() {
        RecentEnds recent = new RecentEnds(() -> 0);
        recent.keep(ended("run_twice"));
        recent.keep(ended("run_twice"));
        for (int i = 0; i < RecentEnds.CAPACITY - 1; i++) recent.keep(ended("run_" + i));
        assertThat(recent.ended("run_twice"))
                .as("its first slot was let go, not the run")
                .isNotNull();
        for (int i = 0; i < RecentEnds.CAPACITY - 1; i++)
            assertThat(recent.ended("run_" + i)).isNotNull();
        recent.keep(ended("run_next"));
        assertThat(recent.ended("run_twice"))
                .as("the oldest kept run goes first")
                .isNull();
        assertThat(recent.ended("run_0")).isNotNull();
    }

    @Test
    void aRunToldAgainIsKeptAsTheNewest() {
        RecentEnds recent = new RecentEnds(() -> 0);
        recent.keep(ended("run_again"));
        recent.keep(ended("run_0"));
        recent.keep(ended("run_again"));
        for (int i = 1; i < RecentEnds.CAPACITY; i++) recent.keep(ended("run_" + i));
        assertThat(recent.ended("run_0")).as("kept before the run told again").isNull();
        assertThat(recent.ended("run_again")).isNotNull();
    }
}

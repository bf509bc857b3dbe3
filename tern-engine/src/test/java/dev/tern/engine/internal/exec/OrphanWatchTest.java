package dev.tern.engine.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrphanWatchTest {
    @Test
    void onTheFirstRenewalEveryRunOwnedWithoutAnExecutionIsAnOrphan() {
        OrphanWatch watch = new OrphanWatch();
        assertThat(watch.orphans(List.of("a", "b"))).containsExactly("a", "b");
    }

    @Test
    void laterARunIsAnOrphanOnlyWhenTwoRenewalsInARowFindItUnexecuted() {
        OrphanWatch watch = new OrphanWatch();
        assertThat(watch.orphans(List.of())).isEmpty();
        // "a" suspended just after the renewal read it; "b" really has no execution
        assertThat(watch.orphans(List.of("a", "b"))).isEmpty();
        assertThat(watch.orphans(List.of("b", "c"))).containsExactly("b");
        assertThat(watch.orphans(List.of("d"))).isEmpty();
        assertThat(watch.orphans(List.of())).isEmpty();
        assertThat(watch.orphans(List.of("d"))).isEmpty();
    }
}

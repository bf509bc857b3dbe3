package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Run ids sort in the order this process made them, within one millisecond as across milliseconds. */
class RunIdsTest {
    @Test
    void idsOfOneMillisecondSortInTheOrderTheyWereMade() {
        long now = System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) ids.add(RunIds.next(now));
        ids.add(RunIds.next(now + 1));
        ids.add(RunIds.next(now + 1));
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(ids).allSatisfy(id -> assertThat(id).matches(RunIds.VALID).hasSize(26));
        assertThat(ids.get(0).substring(0, 12)).isEqualTo(ids.get(999).substring(0, 12));
    }
}

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

    @Test
    void aChildsIdEndsLikeItsParentsAndStillSortsInOrderAmongOthersOfItsMillisecond() {
        long now = System.currentTimeMillis() + 10_000;
        String parent = RunIds.next(now);
        char last = parent.charAt(parent.length() - 1);
        List<String> ids = new ArrayList<>(List.of(parent));
        List<String> children = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String child = RunIds.nextBeside(i % 3 == 0 ? parent : ids.get(ids.size() - 1), now);
            ids.add(child);
            if (i % 3 == 0) children.add(child);
            if (i % 7 == 0) ids.add(RunIds.next(now));
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(ids).allSatisfy(id -> assertThat(id).matches(RunIds.VALID).hasSize(26));
        assertThat(children).allSatisfy(id -> assertThat(id).endsWith(String.valueOf(last)));
        assertThat(RunIds.nextBeside(parent, now + 1)).endsWith(String.valueOf(last));
    }
}

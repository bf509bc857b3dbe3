package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.engine.internal.store.FirstCheckpoint.Part;
import dev.tern.engine.internal.store.FirstCheckpoint.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Which write of a batch joins each started run's creation ({@link FirstCheckpoint#partners}), found in one pass over
 * the batch: the same writes as searching onward from each creation ({@link FirstCheckpoint#partner}) finds.
 */
class FirstCheckpointPartnersTest {
    private static final NamedSql.Params VALUES = new NamedSql.Params();

    @Test
    void aCreationJoinsItsRunsFirstCheckpointPastOtherRunsWrites() {
        List<Write<?>> batch = List.of(
                part("a", Role.CREATION),
                part("b", Role.CREATION),
                part("b", Role.CHECKPOINT),
                onRun("c"),
                part("a", Role.CHECKPOINT),
                part("a", Role.CHECKPOINT));

        assertThat(FirstCheckpoint.partners(batch)).containsExactly(4, 2, -1, -1, -1, -1);
    }

    @Test
    void aWriteOfNoOneRunBetweenKeepsTheCreationApart() {
        List<Write<?>> batch = List.of(part("a", Role.CREATION), noRun(), part("a", Role.CHECKPOINT));

        assertThat(FirstCheckpoint.partners(batch)).containsExactly(-1, -1, -1);
    }

    @Test
    void anEndJoinsOnlyRightAfterItsCreation() {
        List<Write<?>> next = List.of(part("a", Role.CREATION), part("a", Role.END_AFTER_STEP));
        List<Write<?>> apart = List.of(part("a", Role.CREATION), part("b", Role.CHECKPOINT), part("a", Role.END));

        assertThat(FirstCheckpoint.partners(next)).containsExactly(1, -1);
        assertThat(FirstCheckpoint.partners(apart)).containsExactly(-1, -1, -1);
    }

    @Test
    void theRunsNextWriteDecidesEvenWhenALaterOneWouldJoin() {
        List<Write<?>> batch = List.of(part("a", Role.CREATION), onRun("a"), part("a", Role.CHECKPOINT));

        assertThat(FirstCheckpoint.partners(batch)).containsExactly(-1, -1, -1);
    }

    @Test
    void everyBatchPairsAsSearchingOnwardFromEachCreationDoes() {
        Random random = new Random(20261206);
        for (int round = 0; round < 5_000; round++) {
            List<Write<?>> batch = randomBatch(random, 1 + random.nextInt(40));
            int[] partners = FirstCheckpoint.partners(batch);
            for (int i = 0; i < batch.size(); i++)
                assertThat(partners[i]).as("write %d of %s", i, batch).isEqualTo(FirstCheckpoint.partner(batch, i));
        }
    }

    /** Writes of five runs (creations, checkpoints, ends, others) and of no one run, in any order. */
    private static List<Write<?>> randomBatch(Random random, int size) {
        Role[] roles = Role.values();
        List<Write<?>> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String run = "run-" + random.nextInt(5);
            int kind = random.nextInt(10);
            if (kind == 0) batch.add(noRun());
            else if (kind == 1) batch.add(onRun(run));
            else if (kind < 5) batch.add(part(run, Role.CREATION));
            else batch.add(part(run, roles[random.nextInt(roles.length)]));
        }
        return batch;
    }

    private static Write<Object> part(String run, Role role) {
        return Write.batched(tx -> null).joinable(new Part(run, role, VALUES, 1));
    }

    private static Write<Object> onRun(String run) {
        return Write.batched(tx -> null).onRun(run);
    }

    private static Write<Object> noRun() {
        return Write.batched(tx -> null);
    }
}

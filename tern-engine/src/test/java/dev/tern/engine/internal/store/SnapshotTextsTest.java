package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * {@link SnapshotTexts}: a shared snapshot tree's text is written once and handed out again, also while another tree in
 * use at the same time would have taken its slot.
 */
class SnapshotTextsTest {
    @Test
    void twoTreesWhoseFirstSlotsMeetKeepTheirTexts() {
        ObjectNode profile = tree("profile");
        while (first(profile) == second(profile)) profile = tree("profile");
        // a tree whose first slot is profile's (as a run's two snapshots have in one process in 64), its second its own
        ObjectNode policy = tree("policy");
        while (first(policy) != first(profile) || second(policy) == first(profile) || second(policy) == second(profile))
            policy = tree("policy");

        String profileText = SnapshotTexts.of(profile);
        String policyText = SnapshotTexts.of(policy);
        assertThat(profileText).isEqualTo("{\"name\":\"profile\"}");
        assertThat(policyText).isEqualTo("{\"name\":\"policy\"}");
        for (int run = 0; run < 3; run++) {
            assertThat(SnapshotTexts.of(profile))
                    .as("profile's text, not written again")
                    .isSameAs(profileText);
            assertThat(SnapshotTexts.of(policy))
                    .as("policy's text, not written again")
                    .isSameAs(policyText);
        }
        assertThat(SnapshotTexts.of(null)).isNull();
    }

    private static int first(Object tree) {
        return System.identityHashCode(tree) & 63;
    }

    private static int second(Object tree) {
        return (System.identityHashCode(tree) >>> 6) & 63;
    }

    private static ObjectNode tree(String name) {
        return JsonNodeFactory.instance.objectNode().put("name", name);
    }
}

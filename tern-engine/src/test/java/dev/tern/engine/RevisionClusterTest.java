package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.sdk.Definitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling deploy on PostgreSQL: nodes with different revisions loaded share one database; a node never claims a run
 * it cannot replay, and such a run waits visibly until a node with its revision starts.
 */
class RevisionClusterTest {
    final String schema = PostgresTestDatabase.newSchema();
    final List<TernEngine> open = new ArrayList<>();

    TernEngine node(String id, Definitions definitions) {
        EngineConfig config = EngineConfig.postgres(PostgresTestDatabase.url(schema))
                .withNodeId(id)
                .withLeaseDuration(Duration.ofSeconds(2))
                .withSuspendGrace(Duration.ofMillis(200))
                .withPollInterval(Duration.ofMillis(200));
        TernEngine engine = TernEngine.start(config, definitions);
        open.add(engine);
        return engine;
    }

    @AfterEach
    void cleanUp() {
        for (TernEngine e : open.reversed()) e.close();
        PostgresTestDatabase.drop(schema);
    }

    @Test
    void aNodeNeverClaimsARunOfARevisionItLacks() throws Exception {
        TernEngine old = node(
                "old-node", Definitions.builder().workflow(RevisionsTest.v1()).build());
        TernEngine fresh = node(
                "new-node", Definitions.builder().workflow(RevisionsTest.v2()).build());

        String onOld = old.start("flow", new RevisionsTest.In("o"));
        String onNew = fresh.start("flow", new RevisionsTest.In("n"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> old.requireRun(onOld).suspended()
                        && old.requireRun(onNew).suspended());
        assertThat(old.requireRun(onNew).release().revision()).isEqualTo("2026-12-01");

        fresh.close(); // the only node with revision 2026-12-01 goes away
        old.send(onOld, "go", new RevisionsTest.In("!"));
        old.send(onNew, "go", new RevisionsTest.In("!"));
        assertThat(old.awaitCompletion(onOld, Duration.ofSeconds(10))
                        .output()
                        .get("text")
                        .asText())
                .isEqualTo("v1:o!");
        Thread.sleep(2_000);
        RunRecord waiting = old.requireRun(onNew);
        assertThat(waiting.status())
                .as("never failed by a node without its code")
                .isEqualTo(RunStatus.RUNNING);
        assertThat(old.attempts(onNew)).extracting(AttemptRecord::nodeId).containsOnly("new-node");
        assertThat(old.releases().unavailable(waiting)).isTrue();

        TernEngine upgraded = node(
                "new-node-2", Definitions.builder().workflow(RevisionsTest.v2()).build());
        RunRecord done = upgraded.awaitCompletion(onNew, Duration.ofSeconds(15));
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output().get("text").asText()).isEqualTo("v2:n!");
        assertThat(old.attempts(onNew).getLast().resumes())
                .extracting(AttemptRecord.Resume::nodeId)
                .doesNotContain("old-node");
    }
}

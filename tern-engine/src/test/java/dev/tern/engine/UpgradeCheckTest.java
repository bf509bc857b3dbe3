package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tern.sdk.Definitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replaying in-flight runs against the code about to be deployed lists the runs it would break, and why. */
class UpgradeCheckTest {
    @TempDir
    Path dir;

    EngineFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) fixture.close();
    }

    @Test
    void listsTheRunsTheNewCodeWouldBreak() {
        fixture = new EngineFixture(StoreKind.SQLITE, dir);
        TernEngine engine =
                fixture.start(Definitions.builder().workflow(RevisionsTest.v1()).build());
        String inFlight = engine.start("flow", new RevisionsTest.In("a"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> engine.requireRun(inFlight).suspended());
        RunExport export = engine.export(inFlight);

        // the same revision kept beside the new one: nothing breaks
        UpgradeCheck.Report both = UpgradeCheck.against(Definitions.builder()
                        .workflow(RevisionsTest.v1())
                        .workflow(RevisionsTest.v2())
                        .build())
                .check(List.of(export));
        assertThat(both.ok()).isTrue();
        assertThat(both.checked()).isEqualTo(1);

        // the old revision dropped: the run could only finish on old nodes
        UpgradeCheck.Report dropped = UpgradeCheck.against(
                        Definitions.builder().workflow(RevisionsTest.v2()).build())
                .check(List.of(export));
        assertThat(dropped.broken())
                .extracting(UpgradeCheck.Broken::reason)
                .containsExactly(UpgradeCheck.Reason.REVISION_MISSING);

        // the old revision's code changed in place: its history no longer replays
        UpgradeCheck.Report changed = UpgradeCheck.against(Definitions.builder()
                        .workflow(RevisionsTest.v2().version("2026-01-01"))
                        .build())
                .check(List.of(export));
        assertThat(changed.broken()).singleElement().satisfies(b -> {
            assertThat(b.reason()).isEqualTo(UpgradeCheck.Reason.NON_DETERMINISM);
            assertThat(b.describe()).contains(inFlight, "step 0", "first", "renamed-first");
        });
    }
}

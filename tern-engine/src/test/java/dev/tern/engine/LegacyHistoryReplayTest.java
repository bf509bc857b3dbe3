package dev.tern.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tern.sdk.ChildFailedException;
import dev.tern.sdk.ChildRun;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.HumanQuestion;
import dev.tern.sdk.Nullable;
import dev.tern.sdk.WorkflowDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run whose steps were recorded by an earlier version of Tern (the JSON below is what it wrote, key for key) replays
 * on this one: every recorded wait returns its recorded outcome, and a sleep recorded as waiting completes live.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class LegacyHistoryReplayTest {
    record Note(String text) {}

    record Approval(boolean approved, @Nullable String comment) {}

    record N(int n) {}

    record Out(String result) {}

    /** seq, name, kind, status, input, output: as written before the wait records were typed. */
    static final String[][] RECORDED = {
        {"0", "sleep", "sleep", "completed", "{\"durationMs\":1000}", "{\"wakeAt\":\"2020-01-01T00:00:01Z\"}"},
        {
            "1",
            "go",
            "event",
            "completed",
            null,
            "{\"eventName\":\"go\",\"inboxSequence\":7,\"eventInput\":{\"text\":\"recorded\"}}"
        },
        {"2", "now", "now", "completed", null, "1577836800000"},
        {"3", "late", "event", "completed", null, "{\"timedOut\":true}"},
        {
            "4",
            "human",
            "human",
            "completed",
            "{\"prompt\":\"ok?\"}",
            "{\"interactionId\":\"int_00000000000000000001\",\"answer\":{\"approved\":true,\"comment\":\"recorded\"}}"
        },
        {
            "5",
            "human",
            "human",
            "completed",
            "{\"prompt\":\"quick?\"}",
            "{\"interactionId\":\"int_00000000000000000002\",\"timedOut\":true}"
        },
        {
            "6",
            "child:square",
            "child",
            "completed",
            "{\"n\":3}",
            "{\"childRunId\":\"run_recordedkid\",\"name\":\"square\"}"
        },
        {
            "7",
            "await:run_recordedkid",
            "child",
            "completed",
            null,
            "{\"childRunId\":\"run_recordedkid\",\"status\":\"completed\",\"output\":{\"n\":9}}"
        },
        {"8", "child:boom", "child", "completed", "{\"n\":1}", "{\"childRunId\":\"run_recordedboom\",\"name\":\"boom\"}"
        },
        {
            "9",
            "await:run_recordedboom",
            "child",
            "completed",
            null,
            "{\"childRunId\":\"run_recordedboom\",\"status\":\"failed\","
                    + "\"error\":{\"type\":\"IllegalStateException\",\"message\":\"boom "
                    + "1\",\"step\":null,\"errorId\":null}}"
        },
        {"10", "sleep", "sleep", "waiting", "{\"durationMs\":1000}", "{\"wakeAt\":\"2020-01-01T00:00:02Z\"}"},
    };

    @Parameter
    StoreKind store;

    @TempDir
    Path dir;

    final CountDownLatch blocked = new CountDownLatch(1);

    /** The run as first deployed: it blocks in its first step, so the test can crash it there. */
    Definitions before() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of("legacy", N.class, Out.class, (ctx, in) -> {
                    ctx.step("block", String.class, () -> {
                        blocked.countDown();
                        Thread.sleep(60_000);
                        return "never";
                    });
                    return new Out("never");
                }))
                .build();
    }

    /** The code that matches the recorded steps, then goes one step further. */
    Definitions after() {
        return Definitions.builder()
                .workflow(WorkflowDefinition.of("legacy", N.class, Out.class, (ctx, in) -> {
                    ctx.sleep(Duration.ofHours(1));
                    Note go = ctx.awaitEvent("go", Note.class);
                    Optional<Note> late = ctx.awaitEvent("late", Note.class, Duration.ofHours(1));
                    Approval yes = ctx.askHuman(HumanQuestion.of("ok?"), Approval.class)
                            .orElseThrow();
                    Optional<Approval> quick =
                            ctx.askHuman(HumanQuestion.of("quick?").withTimeout(Duration.ofHours(1)), Approval.class);
                    ChildRun kid = ctx.startChild("square", new N(3));
                    N nine = ctx.awaitChild(kid, N.class);
                    ChildRun bad = ctx.startChild("boom", new N(1));
                    String failure;
                    try {
                        ctx.awaitChild(bad, N.class);
                        failure = "none";
                    } catch (ChildFailedException e) {
                        failure = e.childRunId() + ":" + e.status() + ":" + e.errorType() + ":" + e.getMessage();
                    }
                    ctx.sleep(Duration.ofHours(1));
                    String live = ctx.step("after", String.class, () -> "live");
                    return new Out(String.join(
                            ",",
                            go.text(),
                            "" + late.isPresent(),
                            yes.comment(),
                            "" + quick.isPresent(),
                            kid.runId(),
                            "" + nine.n(),
                            failure,
                            live));
                }))
                .build();
    }

    @Test
    void aHistoryRecordedInTheOldShapeReplays() throws Exception {
        try (EngineFixture fixture = new EngineFixture(store, dir)) {
            TernEngine engine = fixture.start(before());
            String id = engine.start("legacy", new N(0));
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            fixture.crash();
            writeRecordedSteps(fixture.jdbcUrl(), id);

            engine = fixture.start(after());
            RunRecord run = engine.awaitCompletion(id, Duration.ofSeconds(20));

            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.output().get("result").asText())
                    .startsWith("recorded,false,recorded,false,run_recordedkid,9,")
                    .contains("run_recordedboom:failed:IllegalStateException:")
                    .endsWith(",live");
            assertThat(engine.steps(id))
                    .extracting(s -> s.seq() + " " + s.name() + " " + s.status())
                    .endsWith("10 sleep completed", "11 after completed");
        }
    }

    private static void writeRecordedSteps(String jdbcUrl, String runId) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM steps WHERE run_id = ?")) {
                delete.setString(1, runId);
                delete.executeUpdate();
            }
            String insert =
                    "INSERT INTO steps (run_id, seq, name, kind, status, input, output, error, attempts, started_at, "
                            + "completed_at, run_attempt) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 1, ?, ?, 1)";
            try (PreparedStatement row = c.prepareStatement(insert)) {
                long at = 1_577_836_800_000L;
                for (String[] step : RECORDED) {
                    row.setString(1, runId);
                    row.setLong(2, Long.parseLong(step[0]));
                    row.setString(3, step[1]);
                    row.setString(4, step[2]);
                    row.setString(5, step[3]);
                    row.setString(6, step[4]);
                    row.setString(7, step[5]);
                    row.setLong(8, at);
                    if ("waiting".equals(step[3])) row.setNull(9, java.sql.Types.BIGINT);
                    else row.setLong(9, at);
                    row.executeUpdate();
                }
            }
        }
    }
}

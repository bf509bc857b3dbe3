package dev.tern.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.StepStatus;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On either database, a started run's creation and its first checkpoint in one batch are written as one, which writes
 * what the two would have; a write between them that could be the run's keeps them apart. Each database's test says
 * what it executes ({@link FirstCheckpointTest}, {@link SqliteFirstCheckpointTest}).
 */
abstract class FirstCheckpointContract {
    final Instant now = Instant.parse("2026-12-04T01:00:00Z");
    final List<String> executions = new ArrayList<>();
    RunStore store;

    /** A new connection to the store's database, outside the store. */
    abstract Connection connect() throws Exception;

    abstract RunWrites runWrites();

    abstract HistoryWrites historyWrites();

    /**
     * What the batch of run-a's creation, run-b's creation and run-a's first checkpoint executes: the first and the
     * last joined.
     */
    abstract List<String> joinedThenAnother();

    /** What run-a's creation, a write of no said run, and run-a's first checkpoint execute: nothing joined. */
    abstract List<String> keptApart();

    /** What run-a's creation and its first two checkpoints execute: the first checkpoint joined, the second not. */
    abstract List<String> joinedThenTheRunAgain();

    @Test
    void aCreationAndItsFirstCheckpointAreOneStatementWritingBoth() throws Exception {
        List<Object> results = apply(List.of(creation("run-a"), creation("run-b"), checkpoint("run-a")));

        assertThat(results).containsExactly("run-a", "run-b", true);
        assertThat(executions).containsExactlyElementsOf(joinedThenAnother());
        assertWritten("run-a", true);
        assertWritten("run-b", false);
    }

    @Test
    void aWriteBetweenThatCouldBeTheRunsKeepsThemApart() throws Exception {
        Write<Integer> unknown = Write.batched(tx -> 0); // no run said: it could be any run's
        List<Object> results = apply(List.of(creation("run-a"), unknown, checkpoint("run-a")));

        assertThat(results).containsExactly("run-a", 0, true);
        assertThat(executions).containsExactlyElementsOf(keptApart());
        assertWritten("run-a", true);
    }

    @Test
    void aRunWithAWebhookKeepsItsCreationApart() throws Exception {
        // creating such a run also queues the webhook's first delivery, which the joined write does not do
        var hooked = dev.tern.engine.RunOptions.none().withWebhookUrl("http://127.0.0.1:9/hook");
        List<Object> results = apply(List.of(creation("run-a", hooked), checkpoint("run-a")));

        assertThat(results).containsExactly("run-a", true);
        assertThat(executions).containsExactlyElementsOf(keptApart());
        assertWritten("run-a", true);
    }

    @Test
    void aCheckpointNotNextAfterTheCreationIsNotJoined() throws Exception {
        List<Object> results = apply(List.of(creation("run-a"), checkpoint("run-a", 0), checkpoint("run-a", 1)));

        assertThat(results).containsExactly("run-a", true, true);
        assertThat(executions).containsExactlyElementsOf(joinedThenTheRunAgain());
        List<HistoryEvent> history = store.history("run-a", 0, 100);
        assertThat(history.stream().map(HistoryEvent::eventSequence)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(store.steps("run-a")).hasSize(2);
        assertThat(store.findRun("run-a").orElseThrow().lastEventSeq()).isEqualTo(6);
    }

    List<Object> apply(List<Write<?>> writes) throws Exception {
        try (Connection real = connect()) {
            real.setAutoCommit(false);
            Tx tx = new Tx(GroupCommitWriterTest.recording(real, executions));
            Object[] results = PipelinedBatch.apply(tx, writes);
            tx.connection().commit();
            return java.util.Arrays.asList(results);
        }
    }

    Write<String> creation(String runId) {
        return creation(runId, dev.tern.engine.RunOptions.none());
    }

    Write<String> creation(String runId, dev.tern.engine.RunOptions options) {
        return creation(runId, options, dev.tern.engine.RunLinks.NONE);
    }

    Write<String> creation(String runId, dev.tern.engine.RunOptions options, dev.tern.engine.RunLinks links) {
        NewRun run = new NewRun(runId, "workflow", "flow", "{}", now, "node-a", now.plusSeconds(30), options, links)
                .executingBeforeDurable();
        HistoryAppend created = RunRows.createdEvent(run);
        return runWrites().creating(run, created, tx -> {
            // the store's own work for a run without quota or webhook (a statement that wrote replaces it)
            runWrites().insert(tx, run, created);
            return run.id();
        });
    }

    Write<Boolean> checkpoint(String runId) {
        return checkpoint(runId, 0);
    }

    Write<Boolean> checkpoint(String runId, int seq) {
        StepRecord step = new StepRecord(
                runId,
                seq,
                "s" + seq,
                StepKind.FUNCTION,
                StepStatus.COMPLETED,
                null,
                JsonNodeFactory.instance.numberNode(seq),
                null,
                1,
                now,
                now,
                1);
        List<HistoryAppend> events = List.of(
                new HistoryAppend(HistoryEventType.STEP_STARTED, now, seq, JsonNodeFactory.instance.objectNode()),
                new HistoryAppend(HistoryEventType.STEP_COMPLETED, now, seq, JsonNodeFactory.instance.objectNode()));
        return historyWrites().checkpointing(new Checkpoint(step, HistoryEventType.STEP_COMPLETED, null), events);
    }

    void assertWritten(String runId, boolean withStep) {
        List<HistoryEventType> types =
                store.history(runId, 0, 100).stream().map(HistoryEvent::type).toList();
        List<HistoryEventType> expected =
                new ArrayList<>(List.of(HistoryEventType.RUN_CREATED, HistoryEventType.ATTEMPT_STARTED));
        if (withStep) expected.addAll(List.of(HistoryEventType.STEP_STARTED, HistoryEventType.STEP_COMPLETED));
        assertThat(types).containsExactlyElementsOf(expected);
        assertThat(store.history(runId, 0, 100).stream().map(HistoryEvent::eventSequence))
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, expected.size())
                        .boxed()
                        .toList());
        assertThat(store.findRun(runId).orElseThrow().lastEventSeq()).isEqualTo(expected.size());
        assertThat(store.steps(runId)).hasSize(withStep ? 1 : 0);
        assertThat(store.attempts(runId))
                .singleElement()
                .satisfies(a -> assertThat(List.of(a.attempt(), a.nodeId(), a.startedAt(), a.lastKeepAliveAt()))
                        .containsExactly(1, "node-a", now, now))
                .satisfies(a -> assertThat(a.endedAt()).isNull());
    }
}

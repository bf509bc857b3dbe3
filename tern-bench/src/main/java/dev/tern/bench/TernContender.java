package dev.tern.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.RunOptions;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunRequest;
import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import dev.tern.engine.TernJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tern in this process: schedules through {@link TernEngine#start} and awaits through
 * {@link TernEngine#awaitCompletion}.
 */
final class TernContender implements Contender {
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

    private final StoreSetup setup;
    private final TernEngine engine;

    TernContender(StoreSetup setup) {
        this.setup = setup;
        this.engine = setup.nodes().forRun(0);
    }

    TernEngine engine() {
        return engine;
    }

    @Override
    public void runSteps(int index, int steps) throws InterruptedException {
        String id = engine.start(BenchWorkflows.STEPS, new BenchWorkflows.In(index, steps));
        RunRecord run = engine.awaitCompletion(id, RUN_TIMEOUT);
        if (run.status() != RunStatus.COMPLETED)
            throw new IllegalStateException("run " + id + " ended " + run.status());
    }

    @Override
    public void runParent(int index, int children) throws InterruptedException {
        String id = engine.start(BenchWorkflows.PARENT, new BenchWorkflows.In(index, children));
        RunRecord run = engine.awaitCompletion(id, RUN_TIMEOUT);
        if (run.status() != RunStatus.COMPLETED || run.output().path("sum").asInt() != children)
            throw new IllegalStateException("run " + id + " ended " + run.status() + " with " + run.output());
    }

    @Override
    public void startSleeper(int index) {
        engine.start(BenchWorkflows.SLEEP, new BenchWorkflows.In(index, 0));
    }

    /** One {@link TernEngine#scheduleAll} call: every run created in one transaction. */
    @Override
    public void startSleepers(int first, int count) {
        List<RunRequest> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            JsonNode input = TernJson.tree(new BenchWorkflows.In(first + i, 0));
            batch.add(RunRequest.of(null, BenchWorkflows.SLEEP, input, RunOptions.none()));
        }
        engine.scheduleAll(batch);
    }

    @Override
    public boolean batches() {
        return true;
    }

    @Override
    public long[] storeWriteCounters() {
        return setup.nodes().writeCounters();
    }

    @Override
    public void settle() {
        setup.settle();
    }

    @Override
    public void close() {
        setup.close();
    }
}

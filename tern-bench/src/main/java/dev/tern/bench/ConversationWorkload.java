package dev.tern.bench;

import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * Workload 11, "conversation": runs of {@value #TURNS} turns, each a step called with the conversation so far
 * ({@value BenchWorkflows#CONVERSATION}: a user's message of {@value #CHARS} characters and a reply as long), K in
 * flight, as an agent calls its model. Each step's input holds every message before it, so what a store keeps of those
 * inputs decides how a run's cost grows with its turns. Tern in-process on each store; a twentieth of workload 1's runs
 * per repetition.
 */
final class ConversationWorkload {
    static final int TURNS = 30;
    static final int CHARS = 400;

    private final BenchOptions options;
    private final Contenders contenders;
    private final List<Result> results;

    ConversationWorkload(BenchOptions options, Contenders contenders, List<Result> results) {
        this.options = options;
        this.contenders = contenders;
        this.results = results;
    }

    static boolean supports(SystemKind kind) {
        return InputSizeWorkload.supports(kind);
    }

    void run(SystemKind kind) throws Exception {
        BenchOptions.Sizes s = options.sizes();
        int count = Math.max(1, s.workflows() / 20);
        try (Contender opened = contenders.open(kind)) {
            ThroughputWorkload workload =
                    new ThroughputWorkload(new Conversations(((TernContender) opened).engine()), s.inFlight());
            Progress.of(kind.label(), "conversation warmup, " + count + " runs of " + TURNS + " turns");
            workload.run(0, count);
            List<ThroughputWorkload.Took> took = new ArrayList<>();
            for (int r = 0; r < s.repetitions(); r++) {
                Progress.of(kind.label(), "conversation " + (r + 1) + "/" + s.repetitions() + ", " + count + " runs");
                took.add(workload.run((r + 1) * count, count));
            }
            results.addAll(ThroughputWorkload.rows(Workload.CONVERSATION.label(), kind.label(), took, count));
        }
    }

    /** Runs {@value BenchWorkflows#CONVERSATION}, awaiting each run and checking what it returned. */
    private record Conversations(TernEngine engine) implements RunsOnly {
        @Override
        public void runSteps(int index, int steps) throws InterruptedException {
            String id = engine.start(BenchWorkflows.CONVERSATION, new BenchWorkflows.Chat(index, TURNS, CHARS));
            RunRecord run = engine.awaitCompletion(id, TernContender.RUN_TIMEOUT);
            if (run.status() != RunStatus.COMPLETED || run.output().path("sum").asInt() != 2 * TURNS)
                throw new IllegalStateException("run " + id + " ended " + run.status() + " with " + run.output());
        }
    }
}

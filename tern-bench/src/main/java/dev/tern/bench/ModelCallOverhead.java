package dev.tern.bench;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.tern.agents.ChatEntry;
import dev.tern.agents.Llm;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.Observability;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.TernEngine;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.sdk.WorkflowDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Workload 6, "model-call overhead": what Tern adds to an LLM call (a durable step that streams its tokens to the run's
 * watchers and checkpoints the reply) over calling LangChain4j directly. Both stream from the zero-latency
 * {@link FakeModelServer} through the same {@code OpenAiStreamingChatModel}, so the difference is Tern's. Samples are
 * µs per call: direct calls one after another; one-call runs timed from {@code engine.start} to {@code awaitCompletion}
 * (the run's creation and end included); runs of {@value #CALLS_PER_RUN} calls in a row, timed the same way and divided
 * by {@value #CALLS_PER_RUN} (mostly the step itself). Tern runs embedded on SQLite with fsync (the default) and
 * without. Every variant is warmed up, then the variants take turns every {@value #CALLS_PER_RUN} calls, each making
 * about {@code --model-calls} calls per repetition; p50 and p99 are the medians over the repetitions.
 */
final class ModelCallOverhead implements AutoCloseable {
    static final int CALLS_PER_RUN = 20;
    static final int WARMUP_CALLS = 300;
    static final String DIRECT = "LangChain4j direct";
    static final String PROMPT = "What is the answer?";
    private static final String WORKFLOW = "bench-model-calls";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Input: the index of the run (so inputs differ) and how many model calls it makes. */
    public record In(int index, int calls) {}

    /** Output: the characters of all replies (checked against the fake's). */
    public record Out(int chars) {}

    /** One sample: makes {@code calls} model calls one way and returns the nanoseconds they took. */
    @FunctionalInterface
    private interface Sampler {
        long nanos(int calls) throws Exception;
    }

    private record Variant(String system, int callsPerSample, Sampler sampler) {}

    private final FakeModelServer server = FakeModelServer.start();
    private final StreamingChatModel model = OpenAiStreamingChatModel.builder()
            .baseUrl(server.baseUrl())
            .apiKey("none")
            .modelName(FakeModelServer.MODEL)
            .timeout(TIMEOUT)
            .build();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private int nextIndex;

    private ModelCallOverhead() {}

    /** Measures every variant; the first row is the direct baseline. */
    static List<ModelCallTable.Row> measure(BenchOptions options) throws Exception {
        try (ModelCallOverhead bench = new ModelCallOverhead()) {
            return bench.run(options);
        }
    }

    private List<ModelCallTable.Row> run(BenchOptions options) throws Exception {
        TernEngine fsync = engine(options, true);
        TernEngine noFsync = engine(options, false);
        List<Variant> variants = List.of(
                new Variant(DIRECT, 1, this::direct),
                new Variant("Tern, SQLite, 1 call/run", 1, calls -> tern(fsync, calls)),
                new Variant(
                        "Tern, SQLite, " + CALLS_PER_RUN + " calls/run", CALLS_PER_RUN, calls -> tern(fsync, calls)),
                new Variant("Tern, SQLite no fsync, 1 call/run", 1, calls -> tern(noFsync, calls)),
                new Variant(
                        "Tern, SQLite no fsync, " + CALLS_PER_RUN + " calls/run",
                        CALLS_PER_RUN,
                        calls -> tern(noFsync, calls)));
        for (Variant v : variants) {
            Progress.of(Workload.MODEL_CALL.label(), v.system() + ": warmup, " + WARMUP_CALLS + " calls");
            sample(v, WARMUP_CALLS);
        }
        int reps = options.sizes().repetitions();
        int calls = options.sizes().modelCalls();
        List<List<Histogram>> perVariant = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) perVariant.add(new ArrayList<>());
        for (int r = 0; r < reps; r++) {
            Progress.of(
                    Workload.MODEL_CALL.label(),
                    "repetition " + (r + 1) + "/" + reps + ": " + calls + " calls per way, the ways interleaved");
            List<Histogram> rep = interleaved(variants, calls);
            for (int i = 0; i < variants.size(); i++) perVariant.get(i).add(rep.get(i));
        }
        List<ModelCallTable.Row> rows = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            Variant v = variants.get(i);
            rows.add(new ModelCallTable.Row(
                    v.system(), micros(perVariant.get(i), 50), micros(perVariant.get(i), 99), v.callsPerSample() > 1));
        }
        return rows;
    }

    /**
     * About {@code calls} calls per variant, the variants taking turns every {@value #CALLS_PER_RUN} calls, so that a
     * disk or a neighbour that slows down for a few seconds weighs on every variant alike; one histogram (ns per call)
     * per variant.
     */
    private static List<Histogram> interleaved(List<Variant> variants, int calls) throws Exception {
        List<Histogram> perCall = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) perCall.add(new Histogram(3));
        for (int block = 0; block < Math.max(1, calls / CALLS_PER_RUN); block++) {
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get(i);
                for (int s = 0; s < CALLS_PER_RUN / v.callsPerSample(); s++) {
                    long nanos = v.sampler().nanos(v.callsPerSample());
                    perCall.get(i).recordValue(Math.max(1, nanos / v.callsPerSample()));
                }
            }
        }
        return perCall;
    }

    /** About {@code calls} calls in samples of {@code v.callsPerSample()}; the histogram holds ns per call. */
    private static Histogram sample(Variant v, int calls) throws Exception {
        Histogram perCall = new Histogram(3);
        for (int s = 0; s < Math.max(1, calls / v.callsPerSample()); s++) {
            perCall.recordValue(Math.max(1, v.sampler().nanos(v.callsPerSample()) / v.callsPerSample()));
        }
        return perCall;
    }

    private static Spread micros(List<Histogram> reps, double percentile) {
        return Spread.of(
                reps.stream().map(h -> h.getValueAtPercentile(percentile) / 1e3).toList());
    }

    /** The baseline: streaming calls made straight through LangChain4j, each awaited before the next. */
    private long direct(int calls) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            StringBuilder streamed = new StringBuilder();
            model.chat(
                    ChatRequest.builder()
                            .messages(UserMessage.from(PROMPT))
                            .modelName(FakeModelServer.MODEL)
                            .build(),
                    new StreamingChatResponseHandler() {
                        @Override
                        public void onPartialResponse(String text) {
                            streamed.append(text);
                        }

                        @Override
                        public void onCompleteResponse(ChatResponse response) {
                            done.complete(response);
                        }

                        @Override
                        public void onError(Throwable error) {
                            done.completeExceptionally(error);
                        }
                    });
            String text = done.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .aiMessage()
                    .text();
            if (!FakeModelServer.TEXT.equals(text) || !FakeModelServer.TEXT.contentEquals(streamed)) {
                throw new IllegalStateException("unexpected reply '" + text + "' (streamed '" + streamed + "')");
            }
        }
        return System.nanoTime() - t0;
    }

    /** One run of {@code calls} durable model calls, from schedule to completion. */
    private long tern(TernEngine engine, int calls) throws InterruptedException {
        long t0 = System.nanoTime();
        String id = engine.start(WORKFLOW, new In(nextIndex++, calls));
        RunRecord run = engine.awaitCompletion(id, TIMEOUT);
        long nanos = System.nanoTime() - t0;
        if (run.status() != RunStatus.COMPLETED)
            throw new IllegalStateException("run " + id + " ended " + run.status() + ": " + run.error());
        int chars = run.output().path("chars").asInt();
        if (chars != calls * FakeModelServer.TEXT.length())
            throw new IllegalStateException("run " + id + " returned " + chars + " chars");
        return nanos;
    }

    /**
     * An embedded engine on a fresh SQLite directory whose one workflow makes N model calls in a row through
     * {@link Llm}.
     */
    private TernEngine engine(BenchOptions options, boolean fsync) {
        ScratchDir dir = ScratchDir.create(options.dataDir(), "tern-bench-model-");
        resources.add(dir);
        Llm llm = Llm.builder().connector(endpoint -> model).build();
        WorkflowDefinition<In, Out> calls = WorkflowDefinition.of(WORKFLOW, In.class, Out.class, (ctx, in) -> {
            int chars = 0;
            for (int i = 0; i < in.calls(); i++)
                chars += llm.call(ctx, List.of(ChatEntry.user(PROMPT)), List.of())
                        .text()
                        .length();
            return new Out(chars);
        });
        EngineConfig config = EngineConfig.embedded(dir.path())
                .withFsync(fsync)
                .withObservability(Observability.none())
                .withModel(new ModelEndpoint(server.baseUrl(), null, FakeModelServer.MODEL, null, null));
        TernEngine engine =
                TernEngine.start(config, Definitions.builder().workflow(calls).build());
        resources.add(engine);
        return engine;
    }

    /** Stops the engines (newest first), deletes their directories and stops the fake. */
    @Override
    public void close() {
        for (AutoCloseable r : resources.reversed()) {
            try {
                r.close();
            } catch (Exception e) {
                System.err.println("warning: closing " + r + ": " + e);
            }
        }
        server.close();
    }
}

package dev.tern.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.EngineActivity;
import dev.tern.engine.EngineConfig;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.InteractionRecord;
import dev.tern.engine.ManualClock;
import dev.tern.engine.RunRecord;
import dev.tern.engine.RunStatus;
import dev.tern.engine.StepRecord;
import dev.tern.engine.TernEngine;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.ModelEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Your definitions on a real engine, in-process, for tests: a fresh SQLite store in a temporary directory (deleted on
 * {@link #close()}) and a {@link ManualClock}. While a test waits for a run ({@link #await}, {@link #result},
 * {@link #awaitQuestion}) and nothing else can run, the clock jumps to the next time something waits for (a durable
 * sleep, a timeout, a retry, a schedule), so a workflow that sleeps a week completes in milliseconds; {@link #advance}
 * moves it explicitly. Runs wait on a question or an event for as long as the test leaves them: time never skips past
 * something only the test can give.
 *
 * <pre>{@code
 * try (TernTestEnvironment env = TernTestEnvironment.start(MyDefinitions.definitions())) {
 *   String runId = env.start("greeting", new Greeting.In("Ada"));
 *   assertEquals("Hello, Ada!", env.result(runId, Greeting.Out.class).text());
 * }
 * }</pre>
 */
public final class TernTestEnvironment implements AutoCloseable {
    /** How long the waiting methods wait in real time before they give up. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final long IDLE_CHECK_MILLIS = 2;

    private final TernEngine engine;
    private final ManualClock clock;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Duration timeout;

    private TernTestEnvironment(Builder builder) {
        this.clock = new ManualClock(builder.start);
        this.ownsDataDir = builder.dataDir == null;
        try {
            this.dataDir = ownsDataDir ? Files.createTempDirectory("tern-test-") : builder.dataDir;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot create a temporary directory for the test store: " + e.getMessage(), e);
        }
        this.timeout = builder.timeout;
        EngineConfig config = EngineConfig.embedded(dataDir)
                .withClock(clock)
                .withFsync(false)
                // waits suspend at once, so the clock alone says when they end; no lease expires however far time jumps
                .withSuspendGrace(Duration.ZERO)
                .withLeaseDuration(Duration.ofDays(365L * 1000))
                .withPollInterval(Duration.ofMillis(50))
                .withModel(builder.model);
        this.engine = TernEngine.start(config, builder.definitions);
    }

    /** An environment with {@code definitions}, its clock starting at the system's time now. */
    public static TernTestEnvironment start(Definitions definitions) {
        return builder(definitions).start();
    }

    public static Builder builder(Definitions definitions) {
        return new Builder(definitions);
    }

    /** The engine under test, for anything the helpers here do not cover. */
    public TernEngine engine() {
        return engine;
    }

    /** The environment's clock: what {@code ctx.now()} returns in the runs. */
    public Instant now() {
        return clock.instant();
    }

    /** Moves the clock forward by {@code by}: runs sleeping until then wake up. */
    public void advance(Duration by) {
        clock.advance(by);
    }

    /** Starts a workflow or agent run by name; returns its run id. */
    public String start(String name, Object input) {
        return engine.start(name, input);
    }

    /** Sends an event to a running agent (or a workflow waiting for one). */
    public void send(String runId, String eventName, Object payload) {
        engine.send(runId, eventName, payload);
    }

    /** Waits until the run has finished (completed, failed or cancelled), skipping time while nothing else can run. */
    public RunRecord await(String runId) {
        return awaitRun(runId, run -> run.status().isTerminal(), "finish");
    }

    /** Waits until the run's status is {@code status}, skipping time while nothing else can run. */
    public RunRecord awaitStatus(String runId, RunStatus status) {
        return awaitRun(runId, run -> run.status() == status, "become " + status.wireName());
    }

    /**
     * Waits for the run to complete and returns its output as {@code type}; a run that failed or was cancelled fails
     * the test with the run's error.
     */
    public <T> T result(String runId, Class<T> type) {
        RunRecord run = await(runId);
        if (run.status() != RunStatus.COMPLETED) {
            throw new AssertionError("run " + runId + " (" + run.name() + ") "
                    + run.status().wireName()
                    + (run.error() == null
                            ? ""
                            : ": " + run.error().type() + ": " + run.error().message()));
        }
        return TestJson.read(run.output(), type, "the output of run " + runId);
    }

    /** Waits until the run asks a human a question (skipping time meanwhile) and returns it. */
    public InteractionRecord awaitQuestion(String runId) {
        InteractionRecord[] found = new InteractionRecord[1];
        awaitRun(
                runId,
                run -> {
                    found[0] = engine.interactions(runId).stream()
                            .filter(InteractionRecord::isOpen)
                            .findFirst()
                            .orElse(null);
                    return found[0] != null || run.status().isTerminal();
                },
                "ask a question");
        if (found[0] == null) throw new AssertionError("run " + runId + " ended without asking a question");
        return found[0];
    }

    /** Answers the run's open question (waiting for it to be asked first). */
    public void answer(String runId, Object answer) {
        InteractionRecord question = awaitQuestion(runId);
        engine.answer(runId, question.id(), TestJson.tree(answer));
    }

    /** The run as it stands. */
    public RunRecord run(String runId) {
        return engine.requireRun(runId);
    }

    /** The run's steps, in order. */
    public List<StepRecord> steps(String runId) {
        return engine.steps(runId);
    }

    /** The run's whole history, in order. */
    public List<HistoryEvent> history(String runId) {
        return engine.history(runId, 0, Integer.MAX_VALUE);
    }

    /** Reads a JSON value (a step's output, an event's payload) into {@code type}. */
    public <T> T read(JsonNode value, Class<T> type) {
        return TestJson.read(value, type, "the value");
    }

    private RunRecord awaitRun(String runId, Predicate<RunRecord> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Instant> idleDue = Optional.empty();
        while (true) {
            RunRecord run = engine.requireRun(runId);
            if (done.test(run)) return run;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + runId + " (" + run.name() + ") did not " + what + " within " + timeout
                        + " of real time; it is " + run.status().wireName()
                        + (run.waiting() == null
                                ? ""
                                : ", waiting on " + run.waiting().waitingOn()) + " at " + now());
            }
            // skip time only once the node was seen idle twice in a row with the same thing due next
            EngineActivity activity = engine.activity();
            Optional<Instant> due =
                    activity.busyRuns() == 0 ? activity.nextDue().filter(t -> t.isAfter(now())) : Optional.empty();
            if (due.isPresent() && due.equals(idleDue)) {
                clock.advanceTo(due.get());
                idleDue = Optional.empty();
                continue;
            }
            idleDue = due;
            sleep(IDLE_CHECK_MILLIS);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a run", e);
        }
    }

    /** Stops the engine and deletes the temporary store. */
    @Override
    public void close() {
        engine.close();
        if (!ownsDataDir) return;
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test for
        }
    }

    /**
     * Options: the clock's start, a model endpoint for LLM agents (e.g. a local fake), the real-time limit of waits.
     */
    public static final class Builder {
        private final Definitions definitions;
        private Instant start = Instant.now();
        private ModelEndpoint model;
        private Path dataDir;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(Definitions definitions) {
            this.definitions = java.util.Objects.requireNonNull(definitions, "definitions");
        }

        /** Where the clock starts (default: now). */
        public Builder startingAt(Instant value) {
            this.start = value;
            return this;
        }

        /**
         * The model LLM agents call, e.g. {@code ModelEndpoint.configured(fakeServerUrl, "test-key", "fake-model", 1.0,
         * 2.0)}.
         */
        public Builder model(ModelEndpoint value) {
            this.model = value;
            return this;
        }

        /** Keep the store in {@code dir} instead of a temporary directory (it is then not deleted). */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** How long waits last in real time before they fail the test (default 30 s). */
        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        public TernTestEnvironment start() {
            return new TernTestEnvironment(this);
        }
    }
}

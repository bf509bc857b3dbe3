package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.exec.Dispatcher;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.schedule.Scheduler;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.store.StoreFactory;
import dev.tern.engine.internal.store.StoredRun;
import dev.tern.engine.internal.telemetry.Telemetry;
import dev.tern.engine.internal.webhook.WebhookDeliverer;
import dev.tern.sdk.Definitions;
import dev.tern.sdk.FunctionDefinition;
import dev.tern.sdk.RunnableDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tern node: durable runs of the given definitions on one store. Start it inside your own application (embedded mode)
 * or let {@code tern server} start it. Every method that changes a run returns only once the change is durable.
 */
public final class TernEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TernEngine.class);

    private final EngineConfig config;
    private final RunStore store;
    private final DefinitionCatalog catalog;
    private final Dispatcher dispatcher;
    private final Scheduler scheduler;
    private final Schedules schedules;
    private final RunCreation creation;
    private final RunBatch batch;
    private final RunForking forking;
    private final RunCancellation cancellation;
    private final Releases releases;
    private final Clock clock;
    private final FinishWatch finishes;
    private final HistoryWatch historyWatch;
    private final LiveTokens tokens;
    private final WebhookDeliverer webhooks;
    private final RetentionSweeper retention;
    private AutoCloseable listener;
    private final Telemetry telemetry;

    private TernEngine(
            EngineConfig config,
            RunStore store,
            Definitions definitions,
            Map<String, FunctionDefinition<?, ?>> mcpServers) {
        this.config = config;
        this.clock = config.clock();
        this.store = store;
        this.historyWatch = new HistoryWatch(store::watchingRuns);
        this.finishes = new FinishWatch(store::watchingRuns, store::findRuns);
        this.catalog = new DefinitionCatalog(definitions, mcpServers);
        this.tokens = new LiveTokens(store.tokenRelay());
        this.telemetry = Telemetry.of(config.observability(), config.nodeId());
        store.onCommit(telemetry.metrics());
        // the store's counts behind tern_runs_active and tern_runs_waiting may be this old when scraped
        telemetry.metrics().unfinishedRuns(store::unfinishedByState, Duration.ofSeconds(5));
        this.dispatcher = new Dispatcher(
                store,
                clock,
                new Dispatcher.Settings(
                        config.nodeId(),
                        config.maxActiveRuns(),
                        config.pollInterval(),
                        config.leaseDuration(),
                        config.suspendGrace(),
                        config.continueAsNewAfterSteps()),
                catalog::find,
                finishes::finished,
                tokens,
                config.model(),
                telemetry);
        this.releases = new Releases(store.releases(), catalog, config);
        this.creation = new RunCreation(config, store, catalog, dispatcher, releases, telemetry);
        this.scheduler = new Scheduler(
                store.schedules(),
                clock,
                new Scheduler.Settings(config.nodeId(), config.pollInterval(), config.leaseDuration()),
                creation::fromSchedule);
        this.schedules = new Schedules(store.schedules(), catalog, clock, scheduler::wake);
        this.batch = new RunBatch(creation, store);
        this.forking = new RunForking(store, catalog, dispatcher, clock, telemetry, config.quotas());
        this.cancellation = new RunCancellation(store, dispatcher, finishes, clock);
        this.webhooks = new WebhookDeliverer(store, config.webhooks(), clock, telemetry.metrics());
        this.retention = new RetentionSweeper(config.retention(), store, clock, telemetry.metrics());
    }

    /** Opens the store (running its migrations), recovers interrupted runs and starts executing. */
    public static TernEngine start(EngineConfig config, Definitions definitions) {
        return start(config, definitions, Map.of());
    }

    /**
     * Like {@link #start(EngineConfig, Definitions)}, with the functions that call a tool of each configured MCP
     * server, by server name: what {@link CallKind#MCP_SERVER} runs call.
     */
    public static TernEngine start(
            EngineConfig config, Definitions definitions, Map<String, FunctionDefinition<?, ?>> mcpServers) {
        RunStore store = config.databaseUrl() != null
                ? StoreFactory.postgres(config.databaseUrl())
                : StoreFactory.recoveredSqlite(config.dataDir(), config.fsync());
        TernEngine engine = new TernEngine(config, store, definitions, mcpServers);
        try {
            store.onHistory(engine.historyWatch::changed);
            engine.listener = store.listen(new SignalRouter(engine.dispatcher, engine.finishes, engine.historyWatch));
            engine.releases.start(store, engine.telemetry.metrics());
            engine.dispatcher.start();
            engine.scheduler.start();
            engine.webhooks.start();
            engine.retention.start();
        } catch (RuntimeException e) {
            engine.close();
            throw config.databaseUrl() != null ? e : StoreFactory.explainedStartFailure(config.dataDir(), e);
        }
        if (config.clock() instanceof ManualClock manual) {
            manual.onAdvance(() -> {
                engine.dispatcher.nudge();
                engine.scheduler.wake();
            });
        }
        return engine;
    }

    public DefinitionCatalog catalog() {
        return catalog;
    }

    /** Revisions loaded here and on other nodes, release channels, runs per revision. */
    public Releases releases() {
        return releases;
    }

    public String nodeId() {
        return config.nodeId();
    }

    public String storeDescription() {
        return store.describe();
    }

    /** Schedules a run of the agent or workflow {@code name}; {@code kind} (if given) must match. */
    public RunRecord schedule(RunnableDefinition.Kind kind, String name, JsonNode input) {
        return schedule(kind, name, input, RunOptions.none());
    }

    /**
     * Schedules a run with options. With an idempotency key already used, returns the run that holds it instead of
     * starting another; a key used for another agent or workflow, or with another input, is an
     * {@link IdempotencyConflictException}.
     */
    public RunRecord schedule(RunnableDefinition.Kind kind, String name, JsonNode input, RunOptions options) {
        return scheduleRun(kind, name, input, options).run();
    }

    /**
     * Like {@link #schedule(RunnableDefinition.Kind, String, JsonNode, RunOptions)}, saying whether the run was created
     * or found by its key.
     */
    public ScheduledRun scheduleRun(RunnableDefinition.Kind kind, String name, JsonNode input, RunOptions options) {
        return creation.create(RunRequest.of(kind, name, input, options), RunLinks.NONE)
                .scheduled(this::requireRun);
    }

    /**
     * Schedules up to {@link RunRequest#MAX_BATCH} runs, all or none: each request is checked first (one refused is a
     * {@link BatchItemException} naming it), then all are created in one store transaction; a request whose idempotency
     * key started the same request before gets that run. Results are in the order of the requests.
     */
    public List<ScheduledRun> scheduleAll(List<RunRequest> requests) {
        return batch.scheduled(batch.create(requests));
    }

    /**
     * Schedules a run that makes one durable call: a registered function ({@link CallKind#TOOL}) or the function of a
     * configured MCP server ({@link CallKind#MCP_SERVER}); the input must fit the function's input type. Retried by the
     * function's policy; its output is the function's.
     */
    public ScheduledRun scheduleCall(CallKind kind, String name, JsonNode input, RunOptions options) {
        return creation.create(RunRequest.call(kind, name, input, options), RunLinks.NONE)
                .scheduled(this::requireRun);
    }

    /** Typed convenience for embedded use: schedules {@code name} with a record input and returns the run id. */
    public String start(String name, Object input) {
        return creation.create(RunRequest.of(null, name, Json.tree(input), RunOptions.none()), RunLinks.NONE)
                .runId();
    }

    /** Appends an event to a run's inbox, durably; returns its inbox sequence number. */
    public long sendEvent(String runId, String eventName, JsonNode eventInput) {
        return deliver(runId, eventName, eventInput).inboxSequence();
    }

    /** Stores an event for the run; an agent that continued as new gets it in its latest run (named by the receipt). */
    public EventReceipt deliver(String runId, String eventName, JsonNode eventInput) {
        // the store's commit wakes the run where it executes, here or on another node (a signal for one run)
        return EventDelivery.store(store, catalog, clock, requireRun(runId), eventName, eventInput);
    }

    /** Typed convenience for embedded use: sends a record as the event input. */
    public long send(String runId, String eventName, Object eventInput) {
        return sendEvent(runId, eventName, Json.tree(eventInput));
    }

    /** Cancels a queued, running or waiting run; a finished run is returned unchanged. */
    public RunRecord cancel(String runId) {
        cancellation.cancel(runId);
        return requireRun(runId);
    }

    /** The questions the run asked humans, oldest first. */
    public List<InteractionRecord> interactions(String runId) {
        requireRun(runId);
        return store.interactions(runId);
    }

    /**
     * Answers an open question; the answer must satisfy the question's schema. The run resumes wherever it executes.
     * Answering twice is a conflict.
     */
    public InteractionRecord answer(String runId, String interactionId, JsonNode answer) {
        requireRun(runId);
        // the answer's commit wakes the run where it executes, as an event's does
        return InteractionAnswers.answer(store, catalog, clock, runId, interactionId, answer);
    }

    /**
     * Forks the run: a new run of the same definition whose steps before {@code fromStep} return the original's
     * recorded results without executing, and which executes from {@code fromStep} on; with {@code input} (non-null)
     * instead of the original's, validated against the schema. For agents, the events the original consumed before
     * {@code fromStep} are replayed in the same order. The new run carries {@link RunLinks#forkedFrom()}.
     */
    public RunRecord fork(String runId, int fromStep, JsonNode input, RunOptions options) {
        return forkRun(runId, fromStep, input, options).run();
    }

    /** Like {@link #fork}, saying whether the fork was created or found by its idempotency key. */
    public ScheduledRun forkRun(String runId, int fromStep, JsonNode input, RunOptions options) {
        return forking.fork(runId, fromStep, input, options);
    }

    /** The run as clients see it, if it exists. */
    public Optional<RunRecord> run(String runId) {
        return RunIds.VALID.matcher(runId).matches() ? store.findRun(runId).map(StoredRun::toRecord) : Optional.empty();
    }

    public RunRecord requireRun(String runId) {
        return run(runId).orElseThrow(() -> new RunNotFoundException(runId));
    }

    /**
     * The run with the parts of it asked for ({@link RunDetail}), if it exists, read together: one round trip to
     * PostgreSQL where reading the run and each part alone takes one each.
     */
    public Optional<RunDetail> detail(String runId, java.util.Set<RunDetail.Part> parts) {
        return RunIds.VALID.matcher(runId).matches() ? store.detail(runId, parts) : Optional.empty();
    }

    public RunPage runs(RunQuery query) {
        return store.listRuns(query);
    }

    public List<StepRecord> steps(String runId) {
        return store.steps(runId);
    }

    public List<HistoryEvent> history(String runId, long afterSequence, int limit) {
        return store.history(runId, afterSequence, limit);
    }

    public List<AttemptRecord> attempts(String runId) {
        return store.attempts(runId);
    }

    /** Two runs' steps side by side, what differs ({@link RunComparison}); a missing run: RunNotFoundException. */
    public RunComparison compare(String a, String b) {
        return new RunComparer(this::requireRun, store::steps, clock).compare(a, b);
    }

    /** The run as one self-contained document: definition, run, steps, history and inbox (see {@link RunExport}). */
    public RunExport export(String runId) {
        return RunExports.of(store, requireRun(runId));
    }

    /** Waits until the run is finished (or {@code timeout} passes) and returns it as it then stands. */
    public RunRecord awaitCompletion(String runId, Duration timeout) throws InterruptedException {
        return finishes.await(runId, timeout, dispatcher::isLocal);
    }

    /**
     * The run, if it exists and {@code is} accepts its kind and name, once it ended or {@code timeout} passed (at once
     * for a zero timeout), as it then stands: a long poll for a run asked for under its agent or workflow. A run
     * executing on this node is recognised by its execution, so the wait reads nothing before the run ends.
     */
    public Optional<RunRecord> awaitRun(String runId, BiPredicate<RunKind, String> is, Duration timeout)
            throws InterruptedException {
        return finishes.awaitRun(runId, is, timeout, dispatcher);
    }

    /** Cron and interval schedules that start workflow runs. */
    public Schedules schedules() {
        return schedules;
    }

    /**
     * Waits until the run's history has an event after {@code afterSequence} (true) or {@code timeout} passes (false).
     * Woken by this node's commits and, on PostgreSQL, by other nodes' notifications (sent while a node says it
     * watches); re-reads the store every second in case a notification was lost or not sent.
     */
    public boolean awaitHistory(String runId, long afterSequence, Duration timeout) throws InterruptedException {
        return awaitHistoryOr(runId, afterSequence, timeout, () -> false);
    }

    /** Like {@link #awaitHistory}, true also as soon as {@code ready} holds (checked whenever the watchers wake). */
    public boolean awaitHistoryOr(String runId, long afterSequence, Duration timeout, BooleanSupplier ready)
            throws InterruptedException {
        return historyWatch.await(
                runId, afterSequence, timeout, ready, id -> requireRun(id).lastEventSeq());
    }

    /**
     * Calls {@code listener} with each text delta a step of the run streams while it executes on this node (a model's
     * tokens), until the returned handle is closed. Tokens are not history: a listener that subscribes late gets only
     * what comes after.
     */
    public AutoCloseable onTokens(String runId, Consumer<LiveToken> listener) {
        return tokens.subscribe(runId, token -> {
            listener.accept(token);
            historyWatch.changed(runId);
        });
    }

    /** The language model this node's agents call, if one is configured. */
    public Optional<dev.tern.sdk.ModelEndpoint> model() {
        return Optional.ofNullable(config.model());
    }

    /** The run's webhook deliveries in event order, with every attempt made so far. */
    public List<WebhookDelivery> webhookDeliveries(String runId) {
        requireRun(runId);
        return store.webhooks().deliveries(runId);
    }

    /**
     * Whether the store answers reads and its writes commit: a node whose disk is full answers every write with an
     * error, and says so here rather than {@code ok}.
     */
    public StoreHealth health() {
        return StoreHealth.of(store);
    }

    /** Runs executing on this node right now (suspended runs are not counted: they hold nothing). */
    public int activeRuns() {
        return dispatcher.activeCount();
    }

    /**
     * What this node is doing, for tests that skip time: how many runs execute right now without waiting for a time,
     * and the earliest time a run, a retry or a schedule is due. Nothing busy and a due time in the future means
     * nothing can happen before the clock reaches it.
     */
    public EngineActivity activity() {
        return EngineActivity.of(clock.instant(), store, dispatcher);
    }

    /** Store writes committed and transactions used since start: their ratio is the group-commit batch size. */
    public long[] storeWriteCounters() {
        return store.writeCounters();
    }

    /** Stops executing and closes the store; unfinished runs resume on the next start (or another node). */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (Exception e) {
            log.debug("closing the signal listener: {}", e.toString());
        }
        scheduler.close();
        webhooks.close();
        retention.close();
        dispatcher.close();
        releases.stop();
        telemetry.metrics().close();
        store.close();
    }
}

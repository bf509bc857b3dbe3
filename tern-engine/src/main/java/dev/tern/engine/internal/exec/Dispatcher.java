package dev.tern.engine.internal.exec;

import dev.tern.engine.RunRecord;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.store.Claim;
import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.store.StoredRun;
import dev.tern.engine.internal.telemetry.Telemetry;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.sdk.RunnableDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what runs on this node: claims due runs (queued, woken timers and events, expired leases) up to the
 * concurrency limit, starts each on a thread of its own ({@link RunThreads}), and keeps the leases of the runs it owns
 * ({@link LeaseKeeper}).
 */
public final class Dispatcher implements ExecutionHost, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int CLAIM_BATCH = 256;
    /** At most this many history events' worth of steps are read ahead for a claim's runs ({@link #readAhead}). */
    private static final int STEPS_READ_AHEAD = 8_192;

    /** Timings of the dispatcher; see {@code EngineConfig}. */
    public record Settings(
            String nodeId,
            int maxActiveRuns,
            Duration pollInterval,
            Duration leaseDuration,
            Duration suspendGrace,
            int continueAsNewAfterSteps) {}

    private final RunStore store;
    private final Clock clock;
    private final Settings settings;
    private final DefinitionLookup definitions;
    private final BiConsumer<String, RunRecord> onFinished;
    private final Map<String, RunExecution> active = new ConcurrentHashMap<>();
    private final java.util.Set<String> starting = ConcurrentHashMap.newKeySet();
    private final AtomicInteger slots;
    private final Semaphore wakeup = new Semaphore(0);
    private final Thread loop;
    private final Thread keepAlive;
    private volatile boolean closed;
    private final ClaimTally claimTally = new ClaimTally();
    private final LimitQueues limitQueues = new LimitQueues();
    private final RunThreads runThreads;

    /**
     * Set when claimable work may have been left behind for want of a slot: only then does a freed slot wake the loop.
     */
    private volatile boolean slotsRanOut;

    private final TokenPublisher tokens;
    private final ModelEndpoint model;
    private final Telemetry telemetry;

    /** What a run of {@code kind} named {@code name} executes, in {@code revision} (null: the newest). */
    @FunctionalInterface
    public interface DefinitionLookup {
        Optional<RunnableDefinition> find(String kind, String name, String revision);
    }

    public Dispatcher(
            RunStore store,
            Clock clock,
            Settings settings,
            DefinitionLookup definitions,
            BiConsumer<String, RunRecord> onFinished,
            TokenPublisher tokens,
            ModelEndpoint model,
            Telemetry telemetry) {
        this.telemetry = telemetry;
        telemetry.metrics().executingOnThisNode(active, Map::size);
        this.tokens = tokens;
        this.model = model;
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.definitions = definitions;
        this.onFinished = onFinished;
        this.slots = new AtomicInteger(settings.maxActiveRuns());
        this.runThreads = new RunThreads(store.platformThreadsWriteDirectly() ? RunThreads.defaultCount() : 0);
        this.loop = Thread.ofPlatform().name("tern-dispatcher").daemon().unstarted(this::loop);
        this.keepAlive = Thread.ofPlatform()
                .name("tern-keepalive")
                .daemon()
                .unstarted(new LeaseKeeper(store, clock, settings, active, starting, claimTally, () -> closed));
    }

    public void start() {
        loop.start();
        keepAlive.start();
    }

    @Override
    public boolean reserveSlot(String runId) {
        if (!reserveSlot()) return false;
        starting.add(runId);
        return true;
    }

    private boolean reserveSlot() {
        while (true) {
            int free = slots.get();
            if (free <= 0) {
                slotsRanOut = true;
                return false;
            }
            if (slots.compareAndSet(free, free - 1)) return true;
        }
    }

    @Override
    public void releaseSlot(String runId) {
        starting.remove(runId);
        slots.incrementAndGet();
        nudge();
    }

    @Override
    public void startReserved(String runId, RunStart run, CompletableFuture<?> creation) {
        launch(new Claim(runId, 1, false), run, creation);
        starting.remove(runId);
    }

    /**
     * Whether the run executes here, or is about to: its end will be reported to {@code onFinished} (with the run as it
     * ended, when the store handed it back), if it finishes here.
     */
    public boolean isLocal(String runId) {
        return active.containsKey(runId) || starting.contains(runId);
    }

    /**
     * The run as its execution here started it (its kind and name never change), or null when it does not execute here
     * or its execution has yet to read it.
     */
    public RunStart executingAs(String runId) {
        RunExecution execution = active.get(runId);
        return execution == null ? null : execution.startedAs();
    }

    public void nudge() {
        wakeup.release();
    }

    /** A signal (event, cancel) was stored for the run: wake it if it executes here. */
    public void signal(String runId) {
        RunExecution execution = active.get(runId);
        if (execution != null) execution.signal();
        else nudge();
    }

    /** A permit of the limit {@code key} was given back (on another node): the first step here waiting for it asks. */
    public void permitReleased(String key) {
        limitQueues.released(key);
    }

    public void cancelLocal(String runId) {
        RunExecution execution = active.get(runId);
        if (execution != null) execution.requestCancel();
    }

    public int activeCount() {
        return active.size();
    }

    /** Runs executing (or about to) that are not parked until a time. */
    public int busyCount() {
        long claiming = claimTally.inFlight(); // claimed runs not yet in active
        return (int) (starting.size()
                + claiming
                + active.values().stream().filter(e -> e.parkedUntil() == null).count());
    }

    /** The earliest time a run executing here is parked until. */
    public Optional<Instant> earliestPark() {
        return active.values().stream()
                .map(RunExecution::parkedUntil)
                .filter(java.util.Objects::nonNull)
                .min(Instant::compareTo);
    }

    /**
     * The rows and steps of the runs a claim took, read in two queries once it committed: each run's first pass would
     * read its own, two reads a run (a claim takes up to {@value #CLAIM_BATCH}; a node restarting or taking over a dead
     * one's runs claims thousands in a row, and their reads queued for the few connections of the pool for reads by id,
     * in one recovery run long enough to time out). Steps are read ahead for runs whose histories, at least an event a
     * step, add up to at most {@value #STEPS_READ_AHEAD} events, and with them, for those an earlier attempt executed,
     * how often each step was started (a takeover's first live step asks); the rest read their own. None for a lone
     * claim, or when the read fails: each run then reads its own.
     */
    private Map<String, ClaimedRead> readAhead(List<Claim> claims) {
        if (claims.size() < 2) return Map.of();
        try {
            List<StoredRun> rows =
                    store.findRuns(claims.stream().map(Claim::runId).toList());
            List<String> withSteps = new ArrayList<>();
            long events = 0;
            for (StoredRun r : rows) {
                long next = events + Math.max(0, r.lastEventSeq());
                if (next > STEPS_READ_AHEAD) continue;
                events = next;
                withSteps.add(r.id());
            }
            Map<String, List<StepRecord>> steps = withSteps.isEmpty() ? Map.of() : store.stepsOf(withSteps);
            // a run an earlier attempt executed asks, at its first live step, how often each step was started
            List<String> takenOver = new ArrayList<>();
            for (StoredRun r : rows) if (r.attempt() > 1 && steps.containsKey(r.id())) takenOver.add(r.id());
            Map<String, Map<Integer, Integer>> starts = takenOver.isEmpty() ? Map.of() : store.stepStartsOf(takenOver);
            Map<String, ClaimedRead> read = new HashMap<>();
            for (StoredRun r : rows) read.put(r.id(), new ClaimedRead(r, steps.get(r.id()), starts.get(r.id())));
            return read;
        } catch (RuntimeException e) {
            log.debug("reading {} claimed runs together failed: {}", claims.size(), e.toString());
            return Map.of();
        }
    }

    private void launch(Claim claim, RunStart fresh, CompletableFuture<?> creation) {
        launch(claim, fresh, creation, null);
    }

    private void launch(Claim claim, RunStart fresh, CompletableFuture<?> creation, ClaimedRead read) {
        RunExecution execution = new RunExecution(this, claim.runId(), claim.attempt(), fresh, creation);
        if (read != null) execution.readAlready(read);
        active.put(claim.runId(), execution);
        // claimed or created while the node shuts down: never run it on a store about to close, give it back
        if (closed) execution.stop();
        runThreads.start(claim.runId(), execution, active.size());
    }

    private void loop() {
        while (!closed) {
            try {
                int claimed = 0;
                int capacity = Math.min(slots.get(), CLAIM_BATCH);
                slotsRanOut = capacity == 0;
                if (capacity > 0) {
                    Instant now = clock.instant();
                    claimTally.begin();
                    try {
                        List<Claim> claims = Futures.await(
                                store.claim(settings.nodeId(), now, capacity, now.plus(settings.leaseDuration())));
                        claimed = claims.size();
                        Map<String, ClaimedRead> read = readAhead(claims);
                        for (Claim c : claims) {
                            slots.decrementAndGet();
                            telemetry.metrics().runClaimed(c.resumed(), c.attempt());
                            launch(c, null, null, read.get(c.runId()));
                        }
                    } finally {
                        claimTally.registered();
                    }
                    if (claimed == capacity) {
                        slotsRanOut = true;
                        continue;
                    }
                }
                long wait = settings.pollInterval().toMillis();
                if (slots.get() > 0) {
                    long now = clock.millis();
                    long due = store.nextDue().map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
                    if (due != Long.MAX_VALUE)
                        wait = Math.max(claimed == 0 && due <= now ? 5 : 0, Math.min(wait, due - now));
                }
                if (wait > 0 && wakeup.tryAcquire(wait, TimeUnit.MILLISECONDS)) wakeup.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) return;
                log.warn("dispatcher: {}; retrying", e.toString());
                Pause.quietly(settings.pollInterval().toMillis());
            }
        }
    }

    @Override
    public RunStore store() {
        return store;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Duration suspendGrace() {
        return settings.suspendGrace();
    }

    @Override
    public int continueAsNewAfterSteps() {
        return settings.continueAsNewAfterSteps();
    }

    @Override
    public TokenPublisher tokens() {
        return tokens;
    }

    @Override
    public Telemetry telemetry() {
        return telemetry;
    }

    @Override
    public Optional<ModelEndpoint> model() {
        return Optional.ofNullable(model);
    }

    @Override
    public String nodeId() {
        return settings.nodeId();
    }

    @Override
    public Duration leaseDuration() {
        return settings.leaseDuration();
    }

    @Override
    public LimitQueues limitQueues() {
        return limitQueues;
    }

    @Override
    public Optional<RunnableDefinition> definition(String name) {
        return definitions.find(null, name, null);
    }

    @Override
    public Optional<RunnableDefinition> definition(String kind, String name, String revision) {
        return definitions.find(kind, name, revision);
    }

    @Override
    public void workAdded() {
        nudge();
    }

    @Override
    public void suspended(String runId, Instant wakeAt) {
        // the loop re-reads the next due time at least once per poll interval: wake it only for a timer due before that
        if (wakeAt != null && wakeAt.isBefore(clock.instant().plus(settings.pollInterval()))) nudge();
    }

    @Override
    public void released(RunExecution execution, boolean finished) {
        String runId = execution.runId();
        active.remove(runId, execution);
        slots.incrementAndGet();
        if (finished) onFinished.accept(runId, execution.endedAs());
        // a claim pass per finished run would put an empty transaction in the writer's queue ahead of real writes:
        // claim again only if work may be waiting for this slot (new work, timers and signals wake the loop themselves)
        if (slotsRanOut) nudge();
    }

    /**
     * Stops claiming; runs executing here stop where they are and are given back at once ({@link Handover}), to resume
     * elsewhere or after a restart.
     */
    @Override
    public void close() {
        closed = true;
        java.util.Set<String> executing = new java.util.HashSet<>(active.keySet());
        active.values().forEach(RunExecution::stop);
        loop.interrupt();
        keepAlive.interrupt();
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // runs launched while closing (a claim in flight, a run created here) were started stopped: give them back too
        executing.addAll(active.keySet());
        executing.addAll(starting);
        Handover.giveBack(store, settings.nodeId(), clock, active, List.copyOf(executing));
        runThreads.close();
    }
}

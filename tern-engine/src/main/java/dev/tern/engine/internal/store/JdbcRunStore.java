package dev.tern.engine.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.AttemptRecord;
import dev.tern.engine.HistoryEvent;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.InteractionRecord;
import dev.tern.engine.RunDetail;
import dev.tern.engine.RunPage;
import dev.tern.engine.RunQuery;
import dev.tern.engine.StepRecord;
import dev.tern.sdk.Limit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The store on any JDBC database: writes through the group-commit writer, reads on a pool. Each write is built from the
 * shared write classes over the database's own {@link StoreWrites}, and submitted here with the commit that database
 * allows (see {@link Write.Commit}).
 */
public final class JdbcRunStore implements RunStore {
    final WriterLanes writer; // read by the store's tests, which hold a lane in a batch while writes queue
    private final RunReader reader;
    private final AutoCloseable resources;
    private final String description;
    private final RunWrites runs;
    private final HistoryWrites history;
    private final RunRows rows;
    private final RunEndings endings;
    private final RunContinuations continuations;
    private final RunForks forks;
    private final RunClaims claims;
    private final InteractionWrites interactions;
    private final WaitWrites waits;
    private final LimitPermits permits;
    private final ScheduleStore schedules;
    private final ReleaseStore releases;
    private final WebhookQueue webhooks;
    private final Function<Consumer<Signal>, AutoCloseable> listenerFactory;
    private final TokenRelay tokenRelay;
    private final RunAnnouncer announcer;
    private final SnapshotRows snapshots = new SnapshotRows();

    JdbcRunStore(
            StoreWrites database,
            WriterLanes writer,
            RunReader reader,
            AutoCloseable resources,
            String description,
            Function<Consumer<Signal>, AutoCloseable> listenerFactory,
            TokenRelay tokenRelay,
            RunAnnouncer announcer) {
        this.writer = writer;
        this.reader = reader;
        this.resources = resources;
        this.description = description;
        this.listenerFactory = listenerFactory;
        this.tokenRelay = tokenRelay;
        this.announcer = announcer;
        this.runs = database.runs();
        this.history = database.history();
        this.rows = new RunRows(runs, history);
        this.endings = new RunEndings(rows);
        this.continuations = new RunContinuations(rows, endings);
        this.forks = new RunForks(rows);
        this.claims = new RunClaims(rows, database.dialect());
        this.interactions = new InteractionWrites(rows, database.dialect());
        this.waits = new WaitWrites(rows);
        this.permits = new LimitPermits(writer.shared(), database.dialect());
        this.schedules = new JdbcScheduleStore(database.dialect(), writer.shared(), reader);
        this.releases = new ReleaseStore(writer.shared(), reader);
        this.webhooks = new WebhookQueue(writer.shared(), reader, database.dialect());
    }

    @Override
    public boolean platformThreadsWriteDirectly() {
        return writer.platformThreadsWriteDirectly();
    }

    @Override
    public CompletableFuture<String> createRun(NewRun run) {
        HistoryAppend created = RunRows.createdEvent(run);
        Write<String> create = runs.creating(run, created, tx -> rows.create(tx, run, created));
        GroupCommitWriter lane = writer.forRun(run.id());
        snapshots.queueMissing(lane, run);
        return lane.submit(run.executing() ? create.waitingForCompany(Write.CREATION_LINGER_NANOS) : create);
    }

    @Override
    public CompletableFuture<List<String>> createRuns(List<NewRun> runs, NewRuns.KeyTaken check) {
        snapshots.queueMissing(writer.shared(), runs);
        return writer.shared().submit(tx -> NewRuns.createAll(tx, rows, runs, check));
    }

    @Override
    public CompletableFuture<Boolean> recordStep(Checkpoint checkpoint) {
        List<HistoryAppend> events = checkpoint.takeEvents();
        return writer.forRun(checkpoint.step().runId()).submit(history.checkpointing(checkpoint, events));
    }

    @Override
    public CompletableFuture<FinishedRun> finishRun(RunEnd end) {
        List<HistoryAppend> stepEvents = Checkpoint.takeEventsOf(end.last());
        HistoryAppend terminal = RunEndings.terminal(end);
        return writer.forRun(end.runId())
                .submit(runs.ending(end, stepEvents, terminal, tx -> endings.finishing(tx, end, stepEvents, terminal)));
    }

    @Override
    public QueuedEvent appendOwnedHistory(
            String runId, int attempt, HistoryEventType type, Instant at, Integer stepSeq, JsonNode data) {
        QueuedEvent event = new QueuedEvent(type, at, stepSeq, data);
        // nobody awaits these (step started/retrying, event handled): let them share the next write's commit
        writer.forRun(runId)
                .submit(Write.lazy(
                        tx -> !event.claim()
                                || rows.appendOwned(tx, runId, attempt, event.append())
                                        .isPresent(),
                        event::isClaimed));
        return event;
    }

    @Override
    public CompletableFuture<Void> appendHistory(
            String runId, HistoryEventType type, Instant at, Integer attempt, Integer stepSeq, JsonNode data) {
        return writer.forRun(runId).submit(tx -> {
            rows.appendHistory(tx, runId, type, at, attempt, stepSeq, data);
            return null;
        });
    }

    @Override
    public CompletableFuture<Boolean> suspend(Suspension suspension) {
        List<HistoryAppend> stepEvents = Checkpoint.takeEventsOf(suspension.last());
        HistoryAppend event = RunClaims.suspendedEvent(suspension);
        return writer.forRun(suspension.runId())
                .submit(runs.suspending(
                        suspension, stepEvents, event, tx -> claims.suspend(tx, suspension, stepEvents, event)));
    }

    @Override
    public CompletableFuture<SendOutcome> appendInbox(String runId, String eventName, String payloadJson, Instant now) {
        String by = dev.tern.engine.RequestedBy.current();
        return writer.forRun(runId).submit(tx -> InboxWrites.append(tx, rows, runId, eventName, payloadJson, now, by));
    }

    @Override
    public CompletableFuture<String> fork(NewRun run, java.util.List<Long> events) {
        snapshots.queueMissing(writer.forRun(run.id()), run);
        return writer.forRun(run.id()).submit(tx -> forks.fork(tx, new RunForks.Fork(run, events)));
    }

    @Override
    public CompletableFuture<Boolean> continueAsNew(Continuation continuation) {
        return writer.forRun(continuation.runId()).submit(tx -> continuations.continueAsNew(tx, continuation));
    }

    @Override
    public CompletableFuture<CancelOutcome> requestCancel(String runId, String reason, Instant now) {
        String by = dev.tern.engine.RequestedBy.current();
        return writer.forRun(runId).submit(tx -> endings.cancel(tx, runId, reason, now, by));
    }

    @Override
    public CompletableFuture<List<Claim>> claim(String nodeId, Instant now, int limit, Instant leaseUntil) {
        return writer.shared().submit(tx -> claims.claim(tx, nodeId, now, limit, leaseUntil));
    }

    @Override
    public CompletableFuture<List<OwnedRun>> renewLeases(String nodeId, Instant now, Instant leaseUntil) {
        return writer.everyLane(
                (tx, lane, none) -> claims.renew(tx, nodeId, now, leaseUntil, lane, writer.count()),
                owned -> owned.stream().flatMap(List::stream).toList());
    }

    @Override
    public CompletableFuture<Optional<Instant>> acquirePermit(
            Limit limit, String holder, String nodeId, Instant now, Instant expiresAt) {
        return permits.acquire(limit, holder, nodeId, now, expiresAt);
    }

    @Override
    public CompletableFuture<Void> releasePermit(String key, String holder) {
        return permits.release(key, holder);
    }

    @Override
    public CompletableFuture<Boolean> markWaiting(
            String runId, int attempt, String waitingOn, HistoryEventType event, JsonNode data, Instant now) {
        return writer.forRun(runId).submit(tx -> waits.mark(tx, runId, attempt, waitingOn, event, data, now));
    }

    @Override
    public void noteWaiting(String runId, int attempt, String waitingOn, Instant since) {
        // nobody waits for it: the run is idle meanwhile, and the write shares the commit of the next one (the
        // suspension, if the wait outlasts the grace period) or commits alone a few milliseconds later
        writer.forRun(runId).submit(Write.lazy(tx -> waits.note(tx, runId, attempt, waitingOn, since), () -> false));
    }

    @Override
    public CompletableFuture<Integer> releaseRuns(String nodeId, List<String> runIds, Instant now) {
        return writer.perLane(
                runIds,
                (tx, lane, ids) -> claims.release(tx, nodeId, ids, now),
                released -> released.stream().mapToInt(Integer::intValue).sum());
    }

    @Override
    public AutoCloseable listen(Consumer<Signal> handler) {
        // this node's own changes from its writer as they commit; other nodes' through the database, where shared
        writer.onSignals(handler);
        AutoCloseable others = listenerFactory == null ? () -> {} : listenerFactory.apply(handler);
        return () -> {
            writer.onSignals(signal -> {});
            others.close();
        };
    }

    @Override
    public void onCommit(CommitListener listener) {
        writer.onCommit(listener);
    }

    @Override
    public void watchingRuns() {
        announcer.watching();
    }

    @Override
    public void onHistory(Consumer<String> listener) {
        writer.onHistory(runIds -> runIds.forEach(listener));
    }

    @Override
    public WebhookQueue webhooks() {
        return webhooks;
    }

    @Override
    public CompletableFuture<Integer> deleteFinished(Instant cutoff, int limit) {
        return writer.shared().submit(tx -> RunRetention.deleteFinished(tx, cutoff, limit));
    }

    @Override
    public CompletableFuture<Integer> recoverOrphans(Instant now) {
        return writer.shared().submit(tx -> claims.recoverOrphans(tx, now));
    }

    @Override
    public CompletableFuture<Boolean> startChild(StepRecord step, NewRun child) {
        snapshots.queueMissing(writer.forRun(step.runId()), child);
        return writer.forRun(step.runId()).submit(tx -> rows.startChild(tx, step, child));
    }

    @Override
    public CompletableFuture<Boolean> openInteraction(StepRecord step, InteractionRecord interaction) {
        return writer.forRun(step.runId()).submit(tx -> interactions.open(tx, step, interaction));
    }

    @Override
    public CompletableFuture<AnswerOutcome> answerInteraction(
            String runId, String interactionId, String answerJson, Instant now) {
        String by = dev.tern.engine.RequestedBy.current();
        return writer.forRun(runId).submit(tx -> interactions.answer(tx, runId, interactionId, answerJson, now, by));
    }

    @Override
    public CompletableFuture<Boolean> timeOutInteraction(String runId, int attempt, String interactionId, Instant now) {
        return writer.forRun(runId).submit(tx -> interactions.timeOut(tx, runId, attempt, interactionId, now));
    }

    @Override
    public List<InteractionRecord> interactions(String runId) {
        return reader.interactions(runId);
    }

    @Override
    public Optional<InteractionRecord> interaction(String runId, String interactionId) {
        return reader.interaction(runId, interactionId);
    }

    @Override
    public Optional<StoredRun> findRun(String runId) {
        return reader.findRun(runId);
    }

    @Override
    public List<StoredRun> findRuns(List<String> runIds) {
        return reader.findRuns(runIds);
    }

    @Override
    public RunPage listRuns(RunQuery query) {
        return reader.listRuns(query);
    }

    @Override
    public List<StepRecord> steps(String runId) {
        return reader.steps(runId);
    }

    @Override
    public Map<String, List<StepRecord>> stepsOf(List<String> runIds) {
        return reader.stepsOf(runIds);
    }

    @Override
    public Map<String, Map<Integer, Integer>> stepStartsOf(List<String> runIds) {
        return reader.stepStartsOf(runIds);
    }

    @Override
    public List<HistoryEvent> history(String runId, long afterSeq, int limit) {
        return reader.history(runId, afterSeq, limit);
    }

    @Override
    public List<AttemptRecord> attempts(String runId) {
        return reader.attempts(runId);
    }

    @Override
    public Optional<RunDetail> detail(String runId, java.util.Set<RunDetail.Part> parts) {
        return reader.detail(runId, parts);
    }

    @Override
    public List<InboxEvent> inbox(String runId, long afterSeq) {
        return reader.inbox(runId, afterSeq);
    }

    @Override
    public Optional<RunSignals> signals(String runId) {
        return reader.signals(runId);
    }

    @Override
    public ReleaseStore releases() {
        return releases;
    }

    @Override
    public void claimOnly(Map<String, List<String>> revisionsByName) {
        claims.restrictTo(revisionsByName);
    }

    @Override
    public ScheduleStore schedules() {
        return schedules;
    }

    @Override
    public java.util.Map<String, Long> unfinishedByState() {
        return reader.unfinishedByState();
    }

    @Override
    public Optional<Instant> nextDue() {
        return reader.nextDue();
    }

    @Override
    public Optional<WriteFailure> writeFailure() {
        String message = writer.failing();
        return message == null ? Optional.empty() : Optional.of(new WriteFailure(message, writer.diskFullRecently()));
    }

    @Override
    public long[] writeCounters() {
        return writer.counters();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public TokenRelay tokenRelay() {
        return tokenRelay;
    }

    @Override
    public void close() {
        tokenRelay.close();
        writer.close();
        try {
            resources.close();
        } catch (Exception e) {
            throw new StoreException("closing the store failed", e);
        }
    }
}

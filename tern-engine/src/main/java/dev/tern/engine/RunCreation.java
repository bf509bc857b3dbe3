package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.internal.exec.Dispatcher;
import dev.tern.engine.internal.exec.RunStart;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.NewRun;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.store.StoredRun;
import dev.tern.engine.internal.telemetry.Telemetry;
import dev.tern.sdk.FunctionDefinition;
import dev.tern.sdk.RunnableDefinition;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Creating a run: its options completed from its definition and checked, the row written, and the run started on this
 * node at once when a slot is free (else left to whichever node claims it); a repeated idempotency key finds the run
 * the same request created before. The steps are separate ({@link #check}, {@link #reserve}, {@link #started}) so that
 * {@link RunBatch} can write many runs in one transaction.
 */
final class RunCreation {
    private final EngineConfig config;
    private final RunStore store;
    private final DefinitionCatalog catalog;
    private final Dispatcher dispatcher;
    private final Releases releases;
    private final Clock clock;
    private final Telemetry telemetry;
    private final SharedSnapshots snapshots;

    RunCreation(
            EngineConfig config,
            RunStore store,
            DefinitionCatalog catalog,
            Dispatcher dispatcher,
            Releases releases,
            Telemetry telemetry) {
        this.config = config;
        this.telemetry = telemetry;
        this.store = store;
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.releases = releases;
        this.clock = config.clock();
        this.snapshots = new SharedSnapshots(config);
    }

    /**
     * The id of the run a request created, or of the run its idempotency key had started ({@code created} false), and
     * the run as its creation wrote it ({@code asCreated}, null if not known: read it).
     */
    record Created(String runId, boolean created, RunRecord asCreated) {
        Created(String runId, boolean created) {
            this(runId, created, null);
        }

        /** As the caller sees it: the run as created, or as {@code read} finds it (one its key had started). */
        ScheduledRun scheduled(java.util.function.Function<String, RunRecord> read) {
            return new ScheduledRun(asCreated != null ? asCreated : read.apply(runId), created);
        }
    }

    /**
     * A checked run, ready to write: {@code local} when it holds a slot on this node (it is written as running in its
     * first attempt and started here once written); {@code pick} (null for a call run) is the revision and channel an
     * agent or workflow run takes, {@code definition} the code it runs.
     */
    record Prepared(
            String id,
            String runKind,
            String name,
            JsonNode body,
            Instant now,
            RunOptions options,
            RunLinks links,
            OrgQuota quota,
            boolean local,
            RunnableDefinition definition,
            Releases.Pick pick) {
        Prepared asLocal() {
            return new Prepared(id, runKind, name, body, now, options, links, quota, true, definition, pick);
        }

        /** The revision the run is pinned to (null for a call run). */
        String revision() {
            return pick == null ? null : pick.revision();
        }
    }

    /**
     * Creates the run (starting it here if a slot is free), or finds the run holding its idempotency key, which must
     * have been started by the same request (same name, same input as JSON values).
     */
    Created create(RunRequest request, RunLinks links) {
        Prepared run = reserve(check(request, links));
        NewRun row = row(run);
        boolean early = startsBeforeDurable(run, row);
        if (early) row = row.executingBeforeDurable();
        StoredRun inserted = row.inserted(run.body());
        CompletableFuture<String> written = store.createRun(row);
        if (early) started(run, inserted, written);
        String stored;
        try {
            stored = Futures.await(written);
        } catch (RuntimeException e) {
            if (early) dispatcher.cancelLocal(run.id());
            else release(run);
            throw e;
        }
        if (!stored.equals(run.id())) { // its idempotency key was taken: never a run started early
            release(run);
            SameRequest.require(requireRun(stored), run.options().idempotencyKey(), run.name(), run.body());
            return new Created(stored, false);
        }
        if (!early) started(run, inserted);
        return new Created(run.id(), true, inserted.toRecord());
    }

    /**
     * Whether the run starts here while its creation is written, not after: its first steps then run during that
     * commit, and the store may commit the creation with the run's first write. Only a run nothing can refuse: no
     * idempotency key (another run may hold it), no quota to check, no parent, predecessor or original whose
     * bookkeeping waits on it. Its steps may then run for a run whose creation fails (the store failing), as they may
     * run again after a crash before their checkpoint: steps run at least once.
     */
    private static boolean startsBeforeDurable(Prepared run, NewRun row) {
        RunLinks l = run.links();
        return run.local()
                && run.options().idempotencyKey() == null
                && (row.quota() == null || !row.quota().limits())
                && l.parentId() == null
                && l.continuedFrom() == null
                && l.forkedFrom() == null;
    }

    /** Starts the run a schedule fires, once per fire time ({@code idempotencyKey}). */
    String fromSchedule(ScheduleRecord schedule, String idempotencyKey) {
        telemetry.metrics().scheduleFired();
        RunOptions options = RunOptions.none()
                .withIdempotencyKey(idempotencyKey)
                .withOrg(schedule.orgId())
                .withReleaseChannel(schedule.releaseChannel());
        return create(
                        RunRequest.of(RunnableDefinition.Kind.WORKFLOW, schedule.workflow(), schedule.input(), options),
                        RunLinks.NONE)
                .runId();
    }

    /**
     * Checks the request (its name, its input against the schema, its options), completes its options from its
     * definition and gives it an id; nothing is written or reserved.
     */
    Prepared check(RunRequest request, RunLinks links) {
        JsonNode input = request.input();
        JsonNode body = input == null || input.isNull() ? JsonNodeFactory.instance.objectNode() : input;
        RunnableDefinition definition;
        String runKind;
        Releases.Pick pick = null;
        if (request.call() != null) {
            CallKind kind = request.call();
            FunctionDefinition<?, ?> function = catalog.function(kind, request.name())
                    .orElseThrow(() -> new UnknownDefinitionException(
                            kind == CallKind.TOOL ? "function" : "MCP server", request.name()));
            catalog.validateCallInput(kind, function, body);
            definition = catalog.find(kind.wireName(), request.name()).orElseThrow();
            runKind = kind.wireName();
        } else {
            pick = releases.pick(
                    catalog.require(request.kind(), request.name()),
                    request.options().releaseChannel());
            definition = pick.definition();
            catalog.validateInput(definition, body);
            runKind = definition.kind().wireName();
        }
        return check(runKind, definition, body, request.options(), links, pick);
    }

    private Prepared check(
            String runKind,
            RunnableDefinition definition,
            JsonNode body,
            RunOptions options,
            RunLinks links,
            Releases.Pick pick) {
        String name = definition.name();
        if (options.webhookUrl() == null && definition.webhookUrl() != null)
            options = options.withWebhookUrl(definition.webhookUrl());
        if (options.budget() == null && definition.budget().isCapped())
            options = options.withBudget(definition.budget());
        if (definition.requiresModel() && config.model() == null) throw new ModelNotConfiguredException(name);
        Instant now = clock.instant();
        RunOptionsCheck.validate(options, now);
        options = RunOptionsCheck.withRequester(options);
        String id = RunIds.next(now.toEpochMilli());
        if (links.traceParent() == null)
            links = links.withTraceParent(telemetry.tracing().traceParentForNewRun(runKind, name));
        String org = options.orgId() == null ? RunRecord.DEFAULT_ORG : options.orgId();
        return new Prepared(
                id, runKind, name, body, now, options, links, config.quotas().apply(org), false, definition, pick);
    }

    /**
     * The run holding a slot on this node, if one is free; else as it was (left queued for any node to claim). A run
     * pinned to a revision this node lacks is left to a node that has it.
     */
    Prepared reserve(Prepared run) {
        boolean runnableHere = run.pick() == null
                || run.pick().revision().equals(run.definition().revision());
        return runnableHere && dispatcher.reserveSlot(run.id()) ? run.asLocal() : run;
    }

    /** Gives back the slot a run reserved that is not created after all. */
    void release(Prepared run) {
        if (run.local()) dispatcher.releaseSlot(run.id());
    }

    /** The row to write, with the run's revision, channel and snapshots for an agent or workflow run. */
    NewRun row(Prepared run) {
        NewRun row = new NewRun(
                        run.id(),
                        run.runKind(),
                        run.name(),
                        Json.write(run.body()),
                        run.now(),
                        run.local() ? config.nodeId() : null,
                        run.local() ? run.now().plus(config.leaseDuration()) : null,
                        run.options(),
                        run.links())
                .withQuota(run.quota());
        if (run.pick() == null) return row;
        return row.withRelease(
                snapshots.release(run.definition(), run.revision(), run.pick().channel(), run.options()));
    }

    /**
     * After the run's row is written: starts it in its reserved slot, or tells the dispatcher there is work.
     * {@code inserted} is the row as written ({@link NewRun#inserted}), which its execution hands to its end.
     */
    void started(Prepared run, StoredRun inserted) {
        started(run, inserted, null);
    }

    /** {@link #started(Prepared, StoredRun)}, or while the row is written when {@code creation} is not null. */
    private void started(Prepared run, StoredRun inserted, CompletableFuture<?> creation) {
        RunOptions options = run.options();
        RunLinks links = run.links();
        telemetry.metrics().runStarted(run.runKind(), run.name());
        if (run.local()) {
            String thread = options.threadId() != null ? options.threadId() : links.threadId();
            dispatcher.startReserved(
                    run.id(),
                    new RunStart(
                            run.runKind(),
                            run.name(),
                            run.body(),
                            options.deadlineAt(),
                            links.continuedFrom() != null,
                            options.webhookUrl() != null || links.parentId() != null,
                            options.budget(),
                            links.traceParent(),
                            thread != null ? thread : run.id(),
                            options.model(),
                            run.revision(),
                            inserted),
                    creation);
        } else {
            dispatcher.nudge();
        }
    }

    private RunRecord requireRun(String runId) {
        return store.findRun(runId)
                .map(dev.tern.engine.internal.store.StoredRun::toRecord)
                .orElseThrow(() -> new RunNotFoundException(runId));
    }
}

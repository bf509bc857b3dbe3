package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.internal.exec.Dispatcher;
import dev.tern.engine.internal.exec.RunStart;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.NewRun;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.telemetry.Telemetry;
import dev.tern.sdk.RunnableDefinition;
import java.time.Clock;
import java.time.Instant;

/**
 * Creating a run: its options completed from its definition and checked, the row written, and the run started on this
 * node at once when a slot is free (else left to whichever node claims it); a repeated idempotency key finds the run
 * the same request created before.
 */
final class RunCreation {
    private final EngineConfig config;
    private final RunStore store;
    private final DefinitionCatalog catalog;
    private final Dispatcher dispatcher;
    private final Clock clock;
    private final Telemetry telemetry;
    private final Releases releases;

    RunCreation(
            EngineConfig config,
            RunStore store,
            DefinitionCatalog catalog,
            Dispatcher dispatcher,
            Releases releases,
            Telemetry telemetry) {
        this.config = config;
        this.releases = releases;
        this.telemetry = telemetry;
        this.store = store;
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.clock = config.clock();
    }

    /** The id of the run a request created, or of the run its idempotency key had started ({@code created} false). */
    record Created(String runId, boolean created) {}

    /**
     * Creates the run (starting it here if a slot is free), or finds the run holding its idempotency key, which must
     * have been started by the same request (same name, same input as JSON values).
     */
    Created create(RunnableDefinition.Kind kind, String name, JsonNode input, RunOptions options, RunLinks links) {
        Releases.Pick pick = releases.pick(catalog.require(kind, name), options.releaseChannel());
        RunnableDefinition definition = pick.definition();
        JsonNode body = input == null || input.isNull() ? JsonNodeFactory.instance.objectNode() : input;
        catalog.validateInput(definition, body);
        return create(definition.kind().wireName(), definition, body, options, links, pick);
    }

    /** Creates a run of {@code runKind} executing {@code definition}, whose input has been validated. */
    Created create(String runKind, RunnableDefinition definition, JsonNode body, RunOptions options, RunLinks links) {
        return create(runKind, definition, body, options, links, null);
    }

    /**
     * Like the above; {@code pick} (null for a call run) is the revision and channel an agent or workflow run takes.
     */
    private Created create(
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
        // a run pinned to a revision this node lacks is left to a node that has it
        boolean local = (pick == null || pick.revision().equals(definition.revision())) && dispatcher.reserveSlot(id);
        NewRun run = new NewRun(
                id,
                runKind,
                name,
                Json.write(body),
                now,
                local ? config.nodeId() : null,
                local ? now.plus(config.leaseDuration()) : null,
                options,
                links);
        run = run.withQuota(config.quotas().apply(run.orgId()));
        String revision = pick == null ? null : pick.revision();
        if (pick != null)
            run = run.withRelease(RunSnapshots.release(config, definition, revision, pick.channel(), options));
        String created;
        try {
            created = Futures.await(store.createRun(run));
        } catch (RuntimeException e) {
            if (local) dispatcher.releaseSlot(id);
            throw e;
        }
        if (!created.equals(id)) {
            if (local) dispatcher.releaseSlot(id);
            SameRequest.require(requireRun(created), options.idempotencyKey(), name, body);
            return new Created(created, false);
        }
        telemetry.metrics().runStarted(runKind, name);
        if (local) {
            String thread = options.threadId() != null ? options.threadId() : links.threadId();
            dispatcher.startReserved(
                    id,
                    new RunStart(
                            runKind,
                            name,
                            body,
                            options.deadlineAt(),
                            links.continuedFrom() != null,
                            options.webhookUrl() != null || links.parentId() != null,
                            options.budget(),
                            links.traceParent(),
                            thread != null ? thread : id,
                            options.model(),
                            revision));
        }
        if (!local) dispatcher.nudge();
        return new Created(id, true);
    }

    private RunRecord requireRun(String runId) {
        return store.findRun(runId)
                .map(dev.tern.engine.internal.store.StoredRun::toRecord)
                .orElseThrow(() -> new RunNotFoundException(runId));
    }
}

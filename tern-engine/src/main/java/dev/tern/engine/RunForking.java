package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.exec.Dispatcher;
import dev.tern.engine.internal.exec.ForkEvents;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.NewRun;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.store.StoredRun;
import dev.tern.engine.internal.telemetry.Telemetry;
import dev.tern.sdk.RunnableDefinition;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Forking a run: a new run of the same definition whose steps before {@code fromStep} are the original's recorded
 * results (copied, never executed again: no model paid twice, no side effect repeated) and which executes live from
 * {@code fromStep} on, with the original's input or a new one. For agents, the events the copied steps consumed come
 * along, in their order; later ones do not. The original is untouched.
 */
final class RunForking {
    private final RunStore store;
    private final DefinitionCatalog catalog;
    private final Dispatcher dispatcher;
    private final Clock clock;
    private final Telemetry telemetry;
    private final java.util.function.Function<String, OrgQuota> quotas;

    RunForking(
            RunStore store,
            DefinitionCatalog catalog,
            Dispatcher dispatcher,
            Clock clock,
            Telemetry telemetry,
            java.util.function.Function<String, OrgQuota> quotas) {
        this.quotas = quotas;
        this.store = store;
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.telemetry = telemetry;
    }

    /**
     * Forks {@code runId} from step {@code fromStep} (0 up to one past its last recorded step), with {@code input}
     * instead of the original's when non-null; returns the new run.
     */
    ScheduledRun fork(String runId, int fromStep, JsonNode input, RunOptions options) {
        StoredRun original = store.findRun(runId).orElseThrow(() -> new RunNotFoundException(runId));
        // the fork replays the original's steps on the original's revision; its input is checked here by that
        // revision if loaded, else by the newest
        RunnableDefinition definition = catalog.find(
                        original.kind(), original.name(), original.release().revision())
                .or(() -> catalog.find(original.kind(), original.name()))
                .orElseThrow(() -> new UnknownDefinitionException(original.kind(), original.name()));
        List<StepRecord> steps = store.steps(runId);
        int last = steps.stream().mapToInt(StepRecord::seq).max().orElse(-1);
        if (fromStep < 0 || fromStep > last + 1) {
            String why = fromStep < 0
                    ? "must be 0 or more"
                    : "is past the last recorded step (" + (last < 0 ? "none recorded" : last) + "); at most "
                            + (last + 1);
            throw new InvalidInputException(
                    "fromStep " + fromStep + " " + why + " for run " + runId,
                    List.of(new Violation("fromStep", "fromStep " + why)));
        }
        JsonNode body = input == null ? original.input() : input;
        if (input != null) catalog.validateInput(definition, body);
        Instant now = clock.instant();
        RunOptionsCheck.validate(options, now);
        options = RunOptionsCheck.withRequester(options);
        if (options.budget() == null
                && original.budget() != null
                && original.budget().isCapped()) options = options.withBudget(original.budget());
        options = options.withOrg(original.orgId()); // a fork belongs to the original's organisation
        String id = RunIds.next(now.toEpochMilli());
        RunLinks links = RunLinks.NONE
                .withForkedFrom(new ForkedFrom(runId, fromStep))
                .withTraceParent(telemetry.tracing().traceParentForNewRun(original.kind(), original.name()));
        NewRun run =
                new NewRun(id, original.kind(), original.name(), Json.write(body), now, null, null, options, links);
        run = run.withQuota(quotas.apply(run.orgId())).withRelease(original.release());
        String created = Futures.await(store.fork(run, ForkEvents.consumedBefore(steps, fromStep)));
        StoredRun fork = store.findRun(created).orElseThrow(() -> new RunNotFoundException(created));
        if (created.equals(id)) {
            telemetry.metrics().runStarted(original.kind(), original.name());
            dispatcher.nudge();
        } else {
            SameRequest.require(fork.toRecord(), options.idempotencyKey(), original.name(), body);
        }
        return new ScheduledRun(fork.toRecord(), created.equals(id));
    }
}

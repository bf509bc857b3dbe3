package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.HistoryEventType;
import dev.tern.engine.RunWait;
import dev.tern.engine.StepKind;
import dev.tern.engine.StepRecord;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.json.ValueTrees;
import dev.tern.engine.internal.store.Checkpoint;
import dev.tern.engine.internal.store.InboxEvent;
import dev.tern.sdk.AgentContext;
import dev.tern.sdk.Budget;
import dev.tern.sdk.FunctionDefinition;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.sdk.StepBody;
import dev.tern.sdk.StepFailedException;
import dev.tern.sdk.StepOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The context handed to workflow and agent code for one execution. Each call takes the next sequence number; a recorded
 * step at that number is replayed (its result returned, nothing run), otherwise the step runs live and is checkpointed.
 */
final class ExecutionContext implements AgentContext {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RunExecution exec;
    private final Map<Integer, StepRecord> recorded = new HashMap<>();
    private final StepRunner runner;
    private final InboxCursor inbox;
    private int seq;
    private volatile boolean inStep;
    private AgentDriver<?, ?, ?> agent;
    private final DeferredCheckpoint deferred = new DeferredCheckpoint(this::record);
    private boolean hasChildren;
    private final RunSpend spend;
    private final WaitMarks waits;
    private final DurableWait durable;
    private final RecordedValues values;
    /** What a step's input may be stored against: the last durable step of its name. */
    private final InputBases inputBases;
    /** The trees of the functions' inputs: a conversation's earlier messages converted once, not once a turn. */
    private final ValueTrees inputTrees = new ValueTrees();
    /** The position a previous execution suspended at, waiting on an event or child it records only once it ends. */
    private final int suspendedAt;

    /** {@code stepStarts}: how often each step was started before, read with the run's claim (null: not read). */
    ExecutionContext(
            RunExecution exec,
            List<StepRecord> steps,
            Map<Integer, Integer> stepStarts,
            Budget budget,
            RunWait storedWait) {
        this.exec = exec;
        this.spend = new RunSpend(budget);
        this.inbox = new InboxCursor(exec.host().store(), exec.runId());
        this.waits = new WaitMarks(exec.host().store(), exec.runId(), exec.attempt(), storedWait);
        this.runner = new StepRunner(exec, this, stepStarts);
        this.durable = new DurableWait(this, exec);
        this.values = new RecordedValues(this, exec);
        this.inputBases = new InputBases(steps);
        int last = -1;
        for (StepRecord s : steps) {
            last = Math.max(last, s.seq());
            recorded.put(s.seq(), s);
            if (s.kind() == dev.tern.engine.StepKind.CHILD) hasChildren = true;
        }
        this.suspendedAt = storedWait != null && storedWait.onDependency() ? last + 1 : -1;
    }

    /** Whether position {@code s} is where a previous execution waited: code there ran before, so it replays. */
    boolean wasReachedBefore(int s) {
        return s == suspendedAt;
    }

    /** The execution this context belongs to. */
    RunExecution execution() {
        return exec;
    }

    void bindAgent(AgentDriver<?, ?, ?> driver) {
        this.agent = driver;
    }

    @Override
    public String runId() {
        return exec.runId();
    }

    @Override
    public int attempt() {
        return exec.attempt();
    }

    @Override
    public <I, O> O call(FunctionDefinition<I, O> function, I input) {
        return runStep(
                function.name(),
                inputTrees.tree(input),
                function.options(),
                function.outputType(),
                () -> function.body().apply(input));
    }

    @Override
    public <T> T step(String name, StepOptions options, Class<T> resultType, StepBody<T> body) {
        return runStep(name, null, options, resultType, body);
    }

    private <T> T runStep(String name, JsonNode input, StepOptions options, Class<T> type, StepBody<T> body) {
        java.util.concurrent.Callable<T> step = prepareStep(name, input, options, type, body, true);
        try {
            return inParallel(step);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes the step's sequence number now; the returned call replays the recorded result or runs the step live. */
    <T> java.util.concurrent.Callable<T> prepareStep(
            String name,
            JsonNode input,
            StepOptions options,
            Class<T> type,
            StepBody<T> body,
            boolean deferCheckpoint) {
        // a sequential step leaves the previous step's deferred checkpoint to its runner, to write with its start
        int s = deferCheckpoint ? nextSeqKeepingPending() : nextSeq();
        StepRecord r = replay(s, name, StepKind.FUNCTION);
        if (r != null) {
            flush();
            spend.add(r.usage());
            return () -> {
                if (StepRecord.FAILED.equals(r.status())) {
                    throw new StepFailedException(
                            name,
                            r.attempts(),
                            r.error().type(),
                            r.error().message(),
                            r.error().errorId());
                }
                return r.output() == null || r.output().isNull() ? null : Json.convert(r.output(), type);
            };
        }
        return () -> runner.execute(s, name, input, options, body, deferCheckpoint);
    }

    /** Runs {@code work} while step code executes: the workflow context refuses calls until it returns. */
    <T> T inParallel(java.util.concurrent.Callable<T> work) {
        inStep = true;
        try {
            return work.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exec.checkInterrupts();
            throw new WorkflowInterrupt.Lost(runId());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            inStep = false;
        }
    }

    void checkInterrupts() {
        exec.checkInterrupts();
    }

    @Override
    public <T> List<T> parallel(List<dev.tern.sdk.StepCall<T>> steps) {
        return new ParallelSteps(this).run(steps);
    }

    @Override
    public dev.tern.sdk.ChildRun startChild(String name, Object input) {
        return new ChildStart(this, exec).start(name, input);
    }

    @Override
    public <T> T awaitChild(dev.tern.sdk.ChildRun child, Class<T> outputType) {
        return durable.await(new ChildWait<>(exec, child, outputType, null));
    }

    @Override // looks at the children together: ChildLooks
    public <T> List<T> awaitAll(List<dev.tern.sdk.ChildRun> children, Class<T> outputType) {
        return ChildLooks.awaitAll(exec, durable, children, outputType);
    }

    @Override
    public void sleep(Duration duration) {
        durable.await(new SleepWait(this, exec, duration));
    }

    @Override
    public <T> T awaitEvent(String eventName, Class<T> type) {
        InboxEvent event = awaitInbox(eventName, e -> e.name().equals(eventName), null);
        return Json.convert(event.payload(), type);
    }

    @Override
    public <T> Optional<T> awaitEvent(String eventName, Class<T> type, Duration timeout) {
        Instant deadline = now().plus(timeout);
        InboxEvent event = awaitInbox(eventName, e -> e.name().equals(eventName), deadline);
        return event == null ? Optional.empty() : Optional.of(Json.convert(event.payload(), type));
    }

    /**
     * Next event (in arrival order) that {@code accepts}; null on deadline. Agents pass a null name: any handled event.
     */
    InboxEvent awaitInbox(String name, Predicate<InboxEvent> accepts, Instant deadline) {
        return durable.await(new EventWait(this, exec, name, accepts, deadline));
    }

    @Override
    public <T> Optional<T> askHuman(dev.tern.sdk.HumanQuestion question, Class<T> answerType) {
        return durable.await(new HumanWait<>(exec, question, answerType));
    }

    @Override
    public Instant now() {
        return values.now(exec.host().clock());
    }

    @Override
    public double random() {
        return values.random();
    }

    @Override
    public UUID uuid() {
        return values.uuid();
    }

    @Override
    public boolean patched(String patchId) {
        return values.patched(patchId);
    }

    @Override
    public void deprecatePatch(String patchId) {
        values.deprecatePatch(patchId);
    }

    @Override
    public Budget budget() {
        return spend.budget();
    }

    @Override
    public dev.tern.sdk.Usage spent() {
        return spend.spent();
    }

    /** What this execution has spent, and may spend, on model calls. */
    RunSpend spend() {
        return spend;
    }

    @Override
    public Budget raiseBudget(double additionalUsd, long additionalTokens) {
        RunSpend.requireRaise(additionalUsd, additionalTokens);
        Budget current = spend.budget();
        JsonNode v = values.value(
                StepNames.BUDGET, StepKind.BUDGET, () -> Json.tree(current.raisedBy(additionalUsd, additionalTokens)));
        Budget raised = Json.convert(v, Budget.class);
        spend.raisedTo(raised);
        return raised;
    }

    @Override
    public Optional<ModelEndpoint> model() {
        return exec.host().model();
    }

    @Override
    public Optional<dev.tern.sdk.ModelChoice> modelChoice() {
        return Optional.ofNullable(exec.modelChoice());
    }

    @Override
    public void waitUntil(BooleanSupplier condition) {
        if (agent == null) throw new IllegalStateException("waitUntil is for agents; workflows use awaitEvent");
        agent.waitUntil(condition);
    }

    /** The run's recorded sleep, event or child wait. */
    WaitMarks waits() {
        return waits;
    }

    /** The run's inbox as this execution reads it. */
    InboxCursor inbox() {
        return inbox;
    }

    void recordHandled(ObjectNode data) {
        flush();
        exec.host()
                .store()
                .appendOwnedHistory(
                        runId(),
                        attempt(),
                        HistoryEventType.EVENT_HANDLED,
                        exec.host().clock().instant(),
                        null,
                        data);
    }

    /** The completed step's checkpoint not yet written (see {@link DeferredCheckpoint}). */
    DeferredCheckpoint deferred() {
        return deferred;
    }

    /** Writes the deferred checkpoint, if any, and waits until it is durable. */
    void flush() {
        deferred.write();
    }

    /** Checkpoints a step durably; a lost lease stops this execution rather than writing over the new owner. */
    void record(Checkpoint checkpoint) {
        if (!Durable.await(exec.host().store().recordStep(checkpoint))) throw new WorkflowInterrupt.Lost(runId());
        inputBases.durable(checkpoint.step());
    }

    InputBases inputBases() {
        return inputBases;
    }

    /** A child run was started by this run (in this execution or one before). */
    void noteChild() {
        hasChildren = true;
    }

    boolean hasChildren() {
        return hasChildren;
    }

    Set<Long> consumedEvents() {
        return inbox.consumed();
    }

    boolean isReplaying(int atSeq) {
        return recorded.containsKey(atSeq);
    }

    int currentSeq() {
        return seq;
    }

    int nextSeq() {
        peek();
        return seq++;
    }

    /** Takes the next position without writing the deferred checkpoint (a cancel or deadline still ends with it). */
    private int nextSeqKeepingPending() {
        refuseInStep();
        exec.checkInterrupts();
        return seq++;
    }

    /** The step recorded at the next position (null: none), without taking the position. */
    StepRecord peek() {
        refuseInStep();
        flush();
        exec.checkInterrupts();
        return recorded.get(seq);
    }

    private void refuseInStep() {
        if (inStep)
            throw new IllegalStateException(
                    "a step cannot call the workflow context; call steps from the workflow itself");
    }

    StepRecord replay(int s, String name, StepKind kind) {
        StepRecord r = recorded.get(s);
        if (r == null && exec.host().replayOnly()) throw new WorkflowInterrupt.HistoryEnd(s);
        if (r == null) return null;
        boolean anyEvent = kind == StepKind.EVENT && StepNames.ANY_EVENT.equals(name);
        if (r.kind() != kind || (!anyEvent && !r.name().equals(name)))
            throw new WorkflowInterrupt.NonDeterminism(runId(), s, r, kind, name);
        return r;
    }
}

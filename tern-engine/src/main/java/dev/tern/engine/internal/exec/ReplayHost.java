package dev.tern.engine.internal.exec;

import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.telemetry.Telemetry;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.sdk.RunnableDefinition;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a replay-only execution ({@link HistoryReplay}) runs on: no node and no store. Such an execution ends at the
 * first step its history does not hold, before anything live happens, so nothing here is used for real: the store
 * refuses every call (a call would be a bug of replay mode, not a write to hide), and the model, there so that code
 * which needs one replays, is never called.
 */
final class ReplayHost implements ExecutionHost {
    /** The first store call made, if one was (user code may have caught what the store threw). */
    private volatile String storeUse;

    private final RunStore noStore = (RunStore) Proxy.newProxyInstance(
            RunStore.class.getClassLoader(),
            new Class<?>[] {RunStore.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "toString" -> "no store (replay only)";
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> {
                    if (storeUse == null) storeUse = method.getName();
                    throw new IllegalStateException(
                            "a replay-only execution used the store (" + method.getName() + "): replay must end first");
                }
            });
    private static final ModelEndpoint NEVER_CALLED =
            new ModelEndpoint("http://replay.invalid", null, null, null, null);
    private static final Telemetry NO_TELEMETRY = Telemetry.none();

    /** The store method a replay called (a bug of replay mode), or null if none. */
    String storeUse() {
        return storeUse;
    }

    @Override
    public boolean replayOnly() {
        return true;
    }

    @Override
    public RunStore store() {
        return noStore;
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    /** Never asked: a replay runs no step live. */
    @Override
    public LimitQueues limitQueues() {
        return new LimitQueues();
    }

    @Override
    public Duration suspendGrace() {
        return Duration.ZERO;
    }

    /** Never: a replay must not end a run to continue it in another. */
    @Override
    public int continueAsNewAfterSteps() {
        return 0;
    }

    @Override
    public Optional<RunnableDefinition> definition(String name) {
        return Optional.empty();
    }

    @Override
    public Optional<RunnableDefinition> definition(String kind, String name, String revision) {
        return Optional.empty();
    }

    @Override
    public String nodeId() {
        return "replay";
    }

    @Override
    public TokenPublisher tokens() {
        return (runId, stepSeq, attempt, text) -> {};
    }

    @Override
    public Telemetry telemetry() {
        return NO_TELEMETRY;
    }

    @Override
    public Optional<ModelEndpoint> model() {
        return Optional.of(NEVER_CALLED);
    }

    @Override
    public Duration leaseDuration() {
        return Duration.ZERO;
    }

    @Override
    public void workAdded() {}

    /** A replay starts nothing: a child it has not seen started ends the replay first. */
    @Override
    public boolean reserveSlot(String runId) {
        return false;
    }

    @Override
    public void releaseSlot(String runId) {}

    @Override
    public void startReserved(String runId, RunStart run, java.util.concurrent.CompletableFuture<?> creation) {
        throw new IllegalStateException("a replay starts no run");
    }

    @Override
    public void suspended(String runId, Instant wakeAt) {}

    @Override
    public void released(RunExecution execution, boolean finished) {}
}

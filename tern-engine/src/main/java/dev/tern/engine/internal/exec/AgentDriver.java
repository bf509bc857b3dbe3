package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.HandledResults;
import dev.tern.engine.internal.store.InboxEvent;
import dev.tern.sdk.AgentDefinition;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Runs an agent: builds its state from the input, then, while the run loop waits, feeds it the run's events in arrival
 * order through their handlers. Replay feeds the same events in the same order, so the state comes back exactly. A run
 * continued from another starts from the state it carried over.
 */
final class AgentDriver<I, S, O> {
    private final AgentDefinition<I, S, O> definition;
    private final ExecutionContext ctx;
    private final boolean continued;
    private final AgentCarryOver carryOver;
    private S state;
    /** The last result each event's handler returned live in this execution: the next one may extend it. */
    private final Map<String, JsonNode> lastResults = new HashMap<>();

    AgentDriver(AgentDefinition<I, S, O> definition, ExecutionContext ctx, boolean continued, int continueAfterSteps) {
        this.definition = definition;
        this.ctx = ctx;
        this.continued = continued;
        this.carryOver = new AgentCarryOver(continueAfterSteps);
        ctx.bindAgent(this);
    }

    O run(Object input) throws Exception {
        @SuppressWarnings("unchecked")
        I typed = (I) input;
        state = definition.initialState().apply(typed);
        if (continued) state = carryOver.restore(ctx, state);
        return definition.loop().run(ctx, state, typed);
    }

    void waitUntil(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            boolean live = !ctx.isReplaying(ctx.currentSeq());
            if (live) carryOver.continueIfLong(ctx, state);
            InboxEvent event = ctx.awaitInbox(null, e -> definition.handlers().containsKey(e.name()), null);
            dispatch(event, live);
        }
    }

    private void dispatch(InboxEvent event, boolean live) {
        AgentDefinition.Handler<S, ?> handler = definition.handlers().get(event.name());
        ObjectNode data = JsonNodeFactory.instance
                .objectNode()
                .put("eventName", event.name())
                .put("inboxSequence", event.inboxSeq());
        // a turn replayed from the history runs no step and makes no span; a live one is an invoke_agent span
        RunExecution exec = ctx.execution();
        io.opentelemetry.api.trace.Span turn = live
                ? exec.host()
                        .telemetry()
                        .tracing()
                        .startAgentTurn(ctx.runId(), definition.name(), event.name(), exec.conversationId())
                : io.opentelemetry.api.trace.Span.getInvalid();
        try (io.opentelemetry.context.Scope scope = turn.makeCurrent()) {
            Object result = handle(handler, event);
            data.set("result", Json.tree(result));
        } catch (WorkflowInterrupt | dev.tern.sdk.RunFailedException stop) {
            throw stop;
        } catch (Exception e) {
            data.set("error", Json.tree(Failures.of(ctx.runId(), "the handler of event '" + event.name() + "'", e)));
            turn.setStatus(
                    io.opentelemetry.api.trace.StatusCode.ERROR, e.getClass().getSimpleName());
        } finally {
            turn.end();
        }
        if (live) {
            JsonNode result = data.get("result");
            ctx.recordHandled(HandledResults.stored(data, lastResults.get(event.name())));
            if (result != null) lastResults.put(event.name(), result);
        }
    }

    private <E> Object handle(AgentDefinition.Handler<S, E> handler, InboxEvent event) throws Exception {
        E input = Json.convert(event.payload(), handler.eventType());
        return handler.body().handle(ctx, state, input);
    }
}

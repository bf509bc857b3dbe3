package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.RunStore;
import dev.tern.engine.internal.store.SendOutcome;
import java.time.Clock;

/** Storing an event for a run: checked against the agent's handler, then in the inbox of the run that takes it. */
final class EventDelivery {
    private EventDelivery() {}

    /** Stores the event (the caller wakes the run); an agent that continued as new gets it in its latest run. */
    static EventReceipt store(
            RunStore store,
            DefinitionCatalog catalog,
            Clock clock,
            RunRecord run,
            String eventName,
            JsonNode eventInput) {
        String runId = run.id();
        JsonNode body = eventInput == null || eventInput.isNull() ? JsonNodeFactory.instance.objectNode() : eventInput;
        catalog.find(run.name()).ifPresent(d -> catalog.validateEvent(d, eventName, body));
        SendOutcome outcome = Futures.await(store.appendInbox(runId, eventName, Json.write(body), clock.instant()));
        if (!outcome.found()) throw new RunNotFoundException(runId);
        if (outcome.finished())
            throw new RunStateException(runId, "run '" + runId + "' has finished; it takes no more events");
        return new EventReceipt(outcome.runId(), eventName, outcome.inboxSeq());
    }
}

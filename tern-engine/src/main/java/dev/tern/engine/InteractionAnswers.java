package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.internal.json.Json;
import dev.tern.engine.internal.store.Futures;
import dev.tern.engine.internal.store.RunStore;
import java.time.Clock;
import java.util.List;

/** Answering a question a run asked a human: the question must be open, the answer must fit its schema. */
final class InteractionAnswers {
    private InteractionAnswers() {}

    /** Stores the answer (the caller wakes the run); answering twice is a conflict. */
    static InteractionRecord answer(
            RunStore store,
            DefinitionCatalog catalog,
            Clock clock,
            String runId,
            String interactionId,
            JsonNode answer) {
        InteractionRecord interaction = store.interaction(runId, interactionId)
                .orElseThrow(() -> new InteractionNotFoundException(runId, interactionId));
        if (!interaction.isOpen())
            throw new RunStateException(
                    runId,
                    "interaction '" + interactionId + "' is "
                            + interaction.status().replace('_', ' '));
        JsonNode value = answer == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : answer;
        if (interaction.answerSchema() != null) {
            List<Violation> violations = catalog.schemas().validate(interaction.answerSchema(), value);
            if (!violations.isEmpty())
                throw new InvalidInputException("the answer does not match the question's schema", violations);
        }
        switch (Futures.await(store.answerInteraction(runId, interactionId, Json.write(value), clock.instant()))) {
            case NOT_FOUND -> throw new InteractionNotFoundException(runId, interactionId);
            case NOT_OPEN ->
                throw new RunStateException(
                        runId, "interaction '" + interactionId + "' was answered or closed meanwhile");
            case ANSWERED -> {}
        }
        return store.interaction(runId, interactionId).orElseThrow();
    }
}

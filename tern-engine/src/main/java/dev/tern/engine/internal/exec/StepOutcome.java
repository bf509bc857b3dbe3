package dev.tern.engine.internal.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tern.engine.RunStatus;
import dev.tern.engine.internal.store.InboxEvent;
import java.time.Instant;

/**
 * What a step the engine records itself (a wait, a child run's start) holds as its output, typed: written when the step
 * is recorded and read back on replay. This file is the only place their JSON is written or read. The keys are the ones
 * Tern has always written, in the same order, so histories recorded before these types existed replay unchanged
 * ({@code WaitRecordShapeTest} pins the shape, {@code LegacyHistoryReplayTest} replays an old history).
 */
sealed interface StepOutcome {
    JsonNode toJson();

    /** The data of the history event that records the step's completion: by default the step's name. */
    default JsonNode completedData(String stepName) {
        return Keys.NODES.objectNode().put(Keys.NAME, stepName);
    }

    /** A sleep: when it wakes (recorded while it waits, kept when it completes). */
    record Sleep(Instant wakeAt) implements StepOutcome {
        static Sleep from(JsonNode json) {
            return new Sleep(Instant.parse(json.get(Keys.WAKE_AT).asText()));
        }

        @Override
        public JsonNode toJson() {
            return Keys.NODES.objectNode().put(Keys.WAKE_AT, wakeAt.toString());
        }
    }

    /** A wait for an event: the event taken from the inbox, or a timeout (then the other fields are empty). */
    record Event(boolean timedOut, String eventName, long inboxSequence, JsonNode eventInput) implements StepOutcome {
        static Event received(InboxEvent event) {
            return new Event(false, event.name(), event.inboxSeq(), event.payload());
        }

        static Event timeout() {
            return new Event(true, null, 0, null);
        }

        static Event from(JsonNode json) {
            if (json.path(Keys.TIMED_OUT).asBoolean(false)) return timeout();
            return new Event(
                    false,
                    json.get(Keys.EVENT_NAME).asText(),
                    json.get(Keys.INBOX_SEQUENCE).asLong(),
                    json.get(Keys.EVENT_INPUT));
        }

        @Override
        public JsonNode toJson() {
            ObjectNode out = Keys.NODES.objectNode();
            if (timedOut) return out.put(Keys.TIMED_OUT, true);
            out.put(Keys.EVENT_NAME, eventName)
                    .put(Keys.INBOX_SEQUENCE, inboxSequence)
                    .set(Keys.EVENT_INPUT, eventInput);
            return out;
        }

        /** The history records the whole outcome, as the step does. */
        @Override
        public JsonNode completedData(String stepName) {
            return toJson();
        }
    }

    /**
     * A question to a human: asked (while it waits, with its timeout if any), answered (the answer, JSON null
     * included), or timed out.
     */
    record Human(String interactionId, Instant timeoutAt, JsonNode answer, boolean timedOut) implements StepOutcome {
        static Human asked(String interactionId, Instant timeoutAt) {
            return new Human(interactionId, timeoutAt, null, false);
        }

        static Human answered(String interactionId, JsonNode answer) {
            return new Human(interactionId, null, answer == null ? NullNode.getInstance() : answer, false);
        }

        static Human timeout(String interactionId) {
            return new Human(interactionId, null, null, true);
        }

        static Human from(JsonNode json) {
            Instant timeoutAt = json.hasNonNull(Keys.TIMEOUT_AT)
                    ? Instant.parse(json.get(Keys.TIMEOUT_AT).asText())
                    : null;
            return new Human(
                    json.get(Keys.INTERACTION_ID).asText(),
                    timeoutAt,
                    json.get(Keys.ANSWER),
                    json.path(Keys.TIMED_OUT).asBoolean(false));
        }

        @Override
        public JsonNode toJson() {
            ObjectNode out = Keys.NODES.objectNode().put(Keys.INTERACTION_ID, interactionId);
            if (timedOut) return out.put(Keys.TIMED_OUT, true);
            if (answer != null) return out.set(Keys.ANSWER, answer);
            if (timeoutAt != null) out.put(Keys.TIMEOUT_AT, timeoutAt.toString());
            return out;
        }

        @Override
        public JsonNode completedData(String stepName) {
            return Keys.NODES.objectNode().put(Keys.NAME, stepName).put(Keys.INTERACTION_ID, interactionId);
        }
    }

    /** A child run started: its id and the agent or workflow it runs. */
    record ChildStarted(String childRunId, String name) implements StepOutcome {
        static ChildStarted from(JsonNode json) {
            return new ChildStarted(
                    json.get(Keys.CHILD_RUN_ID).asText(), json.path(Keys.NAME).asText(null));
        }

        @Override
        public JsonNode toJson() {
            return Keys.NODES.objectNode().put(Keys.CHILD_RUN_ID, childRunId).put(Keys.NAME, name);
        }
    }

    /** A child run ended: its status, and its output or error (each absent when the run had none). */
    record Child(String childRunId, String status, JsonNode output, JsonNode error) implements StepOutcome {
        static Child from(JsonNode json) {
            return new Child(
                    json.get(Keys.CHILD_RUN_ID).asText(),
                    json.get(Keys.STATUS).asText(),
                    json.get(Keys.OUTPUT),
                    json.get(Keys.ERROR));
        }

        boolean completed() {
            return RunStatus.COMPLETED.wireName().equals(status);
        }

        /** The error's type, if the child recorded one. */
        String errorType() {
            return error == null ? null : error.path(Keys.ERROR_TYPE).asText(null);
        }

        String errorMessage() {
            return error == null ? null : error.path(Keys.ERROR_MESSAGE).asText(null);
        }

        @Override
        public JsonNode toJson() {
            ObjectNode out =
                    Keys.NODES.objectNode().put(Keys.CHILD_RUN_ID, childRunId).put(Keys.STATUS, status);
            if (output != null) out.set(Keys.OUTPUT, output);
            if (error != null) out.set(Keys.ERROR, error);
            return out;
        }

        @Override
        public JsonNode completedData(String stepName) {
            return Keys.NODES.objectNode().put(Keys.NAME, stepName).put(Keys.CHILD_STATUS, status);
        }
    }

    /** The JSON keys, each written and read only through the records above. */
    final class Keys {
        static final JsonNodeFactory NODES = JsonNodeFactory.instance;
        static final String NAME = "name";
        static final String WAKE_AT = "wakeAt";
        static final String TIMED_OUT = "timedOut";
        static final String EVENT_NAME = "eventName";
        static final String INBOX_SEQUENCE = "inboxSequence";
        static final String EVENT_INPUT = "eventInput";
        static final String INTERACTION_ID = "interactionId";
        static final String TIMEOUT_AT = "timeoutAt";
        static final String ANSWER = "answer";
        static final String CHILD_RUN_ID = "childRunId";
        static final String STATUS = "status";
        static final String OUTPUT = "output";
        static final String ERROR = "error";
        static final String CHILD_STATUS = "childStatus";
        static final String ERROR_TYPE = "type";
        static final String ERROR_MESSAGE = "message";

        private Keys() {}
    }
}

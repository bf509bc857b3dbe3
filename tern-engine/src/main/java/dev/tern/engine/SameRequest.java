package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/**
 * Whether a request reusing an idempotency key repeats the one that started the run: the same agent or workflow and the
 * same input, compared as JSON values (key order and the spelling of numbers, {@code 1} or {@code 1.0}, do not matter).
 */
final class SameRequest {
    private static final Comparator<JsonNode> VALUES = (a, b) -> {
        if (a.isNumber() && b.isNumber() && isFinite(a) && isFinite(b))
            return a.decimalValue().compareTo(b.decimalValue());
        return a.equals(b) ? 0 : 1;
    };

    private SameRequest() {}

    /** Refuses a request under {@code key} that differs from the one that started {@code existing}. */
    static void require(RunRecord existing, String key, String name, JsonNode input) {
        require(existing.id(), existing.name(), existing.input(), key, name, input);
    }

    /** Refuses a run of a batch whose key started run {@code existingId} (of {@code existingName}) differently. */
    static void require(
            String existingId, String existingName, JsonNode existingInput, String key, RunCreation.Prepared run) {
        require(existingId, existingName, existingInput, key, run.name(), run.body());
    }

    private static void require(
            String existingId, String existingName, JsonNode existingInput, String key, String name, JsonNode input) {
        String started =
                "idempotency key '" + key + "' already started run '" + existingId + "' of '" + existingName + "'";
        if (!existingName.equals(name)) {
            throw new IdempotencyConflictException(
                    key,
                    existingId,
                    "name",
                    started + ", not of '" + name + "'; use a new key for a different request");
        }
        if (existingInput == null || !existingInput.equals(VALUES, input)) {
            throw new IdempotencyConflictException(
                    key,
                    existingId,
                    "input",
                    started
                            + " with a different input; repeat the same input to get that run, or use a new key for "
                            + "a different request");
        }
    }

    private static boolean isFinite(JsonNode number) {
        return !(number.isDouble() || number.isFloat()) || Double.isFinite(number.doubleValue());
    }
}

package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A question a run asked a human, and its answer once given. {@code status} is {@code open}, {@code answered},
 * {@code timed_out}, or {@code closed} (the run ended while it was open).
 */
public record InteractionRecord(
        String id,
        String runId,
        int stepSeq,
        String prompt,
        JsonNode answerSchema,
        String status,
        JsonNode answer,
        Instant createdAt,
        Instant timeoutAt,
        Instant answeredAt) {

    public static final String OPEN = "open";
    public static final String ANSWERED = "answered";
    public static final String TIMED_OUT = "timed_out";

    public boolean isOpen() {
        return OPEN.equals(status);
    }
}

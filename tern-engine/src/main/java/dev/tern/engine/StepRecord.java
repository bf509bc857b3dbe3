package dev.tern.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One checkpointed step of a run at position {@code seq}, and where it stands ({@link StepStatus}). {@code type} is the
 * step's declared {@code StepType} and {@code usage} what it reported spending.
 */
public record StepRecord(
        String runId,
        int seq,
        String name,
        StepKind kind,
        StepStatus status,
        JsonNode input,
        JsonNode output,
        ErrorInfo error,
        int attempts,
        Instant startedAt,
        Instant completedAt,
        int runAttempt,
        String type,
        dev.tern.sdk.Usage usage) {

    public StepRecord(
            String runId,
            int seq,
            String name,
            StepKind kind,
            StepStatus status,
            JsonNode input,
            JsonNode output,
            ErrorInfo error,
            int attempts,
            Instant startedAt,
            Instant completedAt,
            int runAttempt) {
        this(
                runId,
                seq,
                name,
                kind,
                status,
                input,
                output,
                error,
                attempts,
                startedAt,
                completedAt,
                runAttempt,
                null,
                null);
    }

    /** The step's type for readers: what the code declared, else the engine's kind (sleep, event, human, child…). */
    public String effectiveType() {
        return type != null ? type : kind.wireName();
    }

    public StepRecord withTypeAndUsage(String stepType, dev.tern.sdk.Usage stepUsage) {
        return new StepRecord(
                runId,
                seq,
                name,
                kind,
                status,
                input,
                output,
                error,
                attempts,
                startedAt,
                completedAt,
                runAttempt,
                stepType,
                stepUsage);
    }

    /** Shorthands for the {@link StepStatus} values, as the executor writes them. */
    public static final StepStatus COMPLETED = StepStatus.COMPLETED;

    public static final StepStatus FAILED = StepStatus.FAILED;
    public static final StepStatus WAITING = StepStatus.WAITING;
}

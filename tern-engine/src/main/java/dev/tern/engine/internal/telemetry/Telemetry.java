package dev.tern.engine.internal.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tern.engine.Observability;
import dev.tern.sdk.GenAiOperation;
import dev.tern.sdk.internal.StepAttempt;
import io.opentelemetry.api.trace.Span;
import java.time.Instant;

/** The engine's metrics and spans, made once per engine from its {@link Observability}. */
public record Telemetry(EngineMetrics metrics, RunTracing tracing) {

    public static Telemetry of(Observability observability, String nodeId) {
        return new Telemetry(
                new EngineMetrics(observability.meters()),
                new RunTracing(observability.openTelemetry(), nodeId, observability.captureContent()));
    }

    /**
     * What a step attempt reported as a GenAI operation: a model call becomes a {@code chat} span and the GenAI
     * metrics; a tool execution adds its call id to the step's {@code execute_tool} span.
     */
    public void genAi(
            Span span,
            StepAttempt attempt,
            String conversationId,
            Instant attemptStarted,
            long attemptStartNanos,
            JsonNode input,
            JsonNode output) {
        GenAiOperation.ModelCall call = attempt.modelCall();
        if (call != null) {
            long end = attempt.modelCallEndNanos();
            metrics.modelCall(call, end - attemptStartNanos);
            boolean content = tracing.capturesContent() && span.isRecording();
            tracing.modelCall(
                    span,
                    call,
                    conversationId,
                    attemptStarted,
                    end,
                    content && input != null ? input.toString() : null,
                    content && output != null ? output.toString() : null);
        }
        GenAiOperation.ToolExecution tool = attempt.toolExecution();
        if (tool != null && span.isRecording()) {
            boolean content = tracing.capturesContent();
            tracing.describeTool(
                    span,
                    tool,
                    content && input != null ? input.toString() : null,
                    content && output != null ? output.toString() : null);
        }
    }

    /** Measures nothing, traces nothing (tests of single parts). */
    public static Telemetry none() {
        return of(Observability.none(), "none");
    }
}

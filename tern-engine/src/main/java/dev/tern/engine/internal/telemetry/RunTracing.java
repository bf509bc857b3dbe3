package dev.tern.engine.internal.telemetry;

import dev.tern.sdk.GenAiOperation;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The engine's spans. A run stores the W3C {@code traceparent} it was scheduled under; every attempt of the run, on any
 * node and after any crash or sleep, starts its span as a child of that context, so one trace holds the run's whole
 * life. Inside an attempt: a span per live step (replayed steps run nothing and make none), an {@code invoke_agent}
 * span per agent turn, {@code chat} and {@code execute_tool} spans per the OpenTelemetry GenAI conventions.
 */
public final class RunTracing {
    static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("tern.run.id");
    static final AttributeKey<String> RUN_NAME = AttributeKey.stringKey("tern.run.name");
    static final AttributeKey<String> RUN_KIND = AttributeKey.stringKey("tern.run.kind");
    static final AttributeKey<Long> RUN_ATTEMPT = AttributeKey.longKey("tern.run.attempt");
    static final AttributeKey<String> RUN_OUTCOME = AttributeKey.stringKey("tern.run.outcome");
    static final AttributeKey<String> NODE_ID = AttributeKey.stringKey("tern.node.id");
    static final AttributeKey<Long> STEP_SEQ = AttributeKey.longKey("tern.step.seq");
    static final AttributeKey<String> STEP_NAME = AttributeKey.stringKey("tern.step.name");
    static final AttributeKey<String> STEP_TYPE = AttributeKey.stringKey("tern.step.type");
    static final AttributeKey<Long> STEP_ATTEMPT = AttributeKey.longKey("tern.step.attempt");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("gen_ai.conversation.id");
    static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
    static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
    static final AttributeKey<java.util.List<String>> FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    static final AttributeKey<String> TOOL_ARGUMENTS = AttributeKey.stringKey("gen_ai.tool.call.arguments");
    static final AttributeKey<String> TOOL_RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");

    private final Tracer tracer;
    private final String nodeId;
    private final boolean captureContent;

    public RunTracing(OpenTelemetry openTelemetry, String nodeId, boolean captureContent) {
        this.tracer = openTelemetry.getTracer("dev.tern.engine");
        this.nodeId = nodeId;
        this.captureContent = captureContent;
    }

    /** Whether model messages and tool arguments go on spans. */
    public boolean capturesContent() {
        return captureContent;
    }

    /**
     * The {@code traceparent} a new run stores: the span current on this thread (the API request's, or the parent run's
     * step), else a span recording that the run was scheduled (a schedule's fire). {@code null} when nothing is traced.
     */
    public String traceParentForNewRun(String kind, String name) {
        SpanContext current = Span.current().getSpanContext();
        if (current.isValid()) return format(current);
        Span span = tracer.spanBuilder("schedule " + name)
                .setAttribute(RUN_KIND, kind)
                .setAttribute(RUN_NAME, name)
                .setAttribute(NODE_ID, nodeId)
                .startSpan();
        try {
            return format(span.getSpanContext());
        } finally {
            span.end();
        }
    }

    /**
     * The W3C {@code traceparent} of {@code span}, written directly ({@code 00-trace-span-flags}): what the propagator
     * would inject, without its carrier map, once per run scheduled.
     */
    static String format(SpanContext span) {
        if (!span.isValid()) return null;
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                + span.getTraceFlags().asHex();
    }

    /** The context a stored {@code traceparent} names (the root context if it is null or malformed). */
    public Context parentOf(String traceParent) {
        SpanContext parent = parse(traceParent);
        return parent == null ? Context.root() : Context.root().with(Span.wrap(parent));
    }

    /** A stored {@code traceparent} read back as a remote parent; null if it is not one (version 00 only). */
    static SpanContext parse(String traceParent) {
        if (traceParent == null || traceParent.length() != 55 || !traceParent.startsWith("00-")) return null;
        if (traceParent.charAt(35) != '-' || traceParent.charAt(52) != '-') return null;
        String traceId = traceParent.substring(3, 35);
        String spanId = traceParent.substring(36, 52);
        String flags = traceParent.substring(53);
        if (!TraceId.isValid(traceId) || !SpanId.isValid(spanId) || !isHex(flags)) return null;
        return SpanContext.createFromRemoteParent(
                traceId, spanId, TraceFlags.fromHex(flags, 0), TraceState.getDefault());
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) return false;
        }
        return true;
    }

    /** Starts the span of one pass of a run attempt on this node (replay up to where it stopped, then live). */
    public Span startAttempt(String traceParent, String runId, String kind, String name, int attempt) {
        return tracer.spanBuilder(kind + " " + name)
                .setParent(parentOf(traceParent))
                .setAttribute(RUN_ID, runId)
                .setAttribute(RUN_KIND, kind)
                .setAttribute(RUN_NAME, name)
                .setAttribute(RUN_ATTEMPT, (long) attempt)
                .setAttribute(NODE_ID, nodeId)
                .startSpan();
    }

    /** Ends an attempt's span with what became of the run: completed, failed, cancelled, suspended, continued, lost. */
    public static void endAttempt(Span span, String outcome, String errorType) {
        span.setAttribute(RUN_OUTCOME, outcome);
        if (errorType != null) {
            span.setStatus(StatusCode.ERROR, errorType);
            span.setAttribute(ERROR_TYPE, errorType);
        }
        span.end();
    }

    /**
     * Starts a live step's span, a child of the current span: {@code execute_tool {name}} for a tool the model called,
     * else {@code step {name}}.
     */
    public Span startStep(String runId, int seq, String name, String type) {
        boolean tool = "tool_call".equals(type);
        var builder = tracer.spanBuilder((tool ? "execute_tool " : "step ") + name)
                .setAttribute(RUN_ID, runId)
                .setAttribute(STEP_SEQ, (long) seq)
                .setAttribute(STEP_NAME, name)
                .setAttribute(STEP_TYPE, type);
        if (tool) builder.setAttribute(OPERATION, "execute_tool").setAttribute(TOOL_NAME, name);
        return builder.startSpan();
    }

    /** Records a failed attempt of a step that will be retried. */
    public static void stepRetrying(Span span, int attempt, Throwable error, long delayMillis) {
        if (!span.isRecording()) return;
        span.addEvent(
                "retry",
                io.opentelemetry.api.common.Attributes.builder()
                        .put(STEP_ATTEMPT, (long) attempt)
                        .put(ERROR_TYPE, error.getClass().getSimpleName())
                        .put("tern.retry.delay_ms", delayMillis)
                        .build());
        span.recordException(error);
    }

    /**
     * Ends a step's span: completed after {@code attempts}, or failed with {@code errorType}. The attempt count is set
     * only past the first and the type only when the step changed it (a thought that chose tools is a decision): each
     * attribute is marshalled for every span exported, and most steps succeed at once as what they started as.
     */
    public static void endStep(Span span, int attempts, String startType, String type, String errorType) {
        if (attempts > 1) span.setAttribute(STEP_ATTEMPT, (long) attempts);
        if (!type.equals(startType)) span.setAttribute(STEP_TYPE, type);
        if (errorType != null) {
            span.setStatus(StatusCode.ERROR, errorType);
            span.setAttribute(ERROR_TYPE, errorType);
        }
        span.end();
    }

    /**
     * Adds the tool call's id (and, with content capture, its arguments and result) to an {@code execute_tool} span.
     */
    public void describeTool(Span span, GenAiOperation.ToolExecution tool, String arguments, String result) {
        if (!span.isRecording()) return;
        if (tool.callId() != null) span.setAttribute(TOOL_CALL_ID, tool.callId());
        if (captureContent) {
            if (arguments != null) span.setAttribute(TOOL_ARGUMENTS, arguments);
            if (result != null) span.setAttribute(TOOL_RESULT, result);
        }
    }

    /**
     * Records a model call as a {@code chat {model}} client span under the step's span, from {@code started} to the
     * moment it was reported ({@code endNanos}, on {@link System#nanoTime()}'s scale).
     */
    public void modelCall(
            Span step,
            GenAiOperation.ModelCall call,
            String conversationId,
            Instant started,
            long endNanos,
            String inputJson,
            String outputJson) {
        if (!step.isRecording()) return;
        Instant ended = Instant.now().minusNanos(Math.max(0, System.nanoTime() - endNanos));
        var builder = tracer.spanBuilder("chat " + call.requestModel())
                .setParent(Context.current().with(step))
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(started.getEpochSecond() * 1_000_000_000L + started.getNano(), TimeUnit.NANOSECONDS)
                .setAttribute(OPERATION, "chat")
                .setAttribute(PROVIDER, call.provider())
                .setAttribute(REQUEST_MODEL, call.requestModel())
                .setAttribute(INPUT_TOKENS, call.inputTokens())
                .setAttribute(OUTPUT_TOKENS, call.outputTokens())
                .setAttribute(CONVERSATION, conversationId);
        if (call.responseModel() != null) builder.setAttribute(RESPONSE_MODEL, call.responseModel());
        if (call.finishReason() != null) builder.setAttribute(FINISH_REASONS, java.util.List.of(call.finishReason()));
        if (captureContent) {
            if (inputJson != null) builder.setAttribute(INPUT_MESSAGES, inputJson);
            if (outputJson != null) builder.setAttribute(OUTPUT_MESSAGES, outputJson);
        }
        builder.startSpan().end(ended.getEpochSecond() * 1_000_000_000L + ended.getNano(), TimeUnit.NANOSECONDS);
    }

    /** Starts the span of one agent turn: an event handled by its handler ({@code invoke_agent {agent}}). */
    public Span startAgentTurn(String runId, String agentName, String eventName, String conversationId) {
        return tracer.spanBuilder("invoke_agent " + agentName)
                .setAttribute(OPERATION, "invoke_agent")
                .setAttribute(AGENT_NAME, agentName)
                .setAttribute(CONVERSATION, conversationId)
                .setAttribute(RUN_ID, runId)
                .setAttribute("tern.event.name", eventName)
                .startSpan();
    }
}

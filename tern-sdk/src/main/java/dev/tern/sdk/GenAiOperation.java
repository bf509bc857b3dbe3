package dev.tern.sdk;

/**
 * What a step did as a generative-AI operation, reported with {@link StepScope#report(GenAiOperation)} so traces and
 * metrics follow the OpenTelemetry GenAI conventions: a model call becomes a {@code chat {model}} span with its tokens,
 * a tool call an {@code execute_tool {tool}} span. The engine reads it; nothing of it is part of the run's history.
 */
public sealed interface GenAiOperation {

    /**
     * One call to a chat model.
     *
     * @param provider who serves the model ({@code openai} for any OpenAI-protocol server)
     * @param requestModel the model asked for
     * @param responseModel the model that answered, as the provider named it (may be {@code null})
     * @param finishReason why the model stopped ({@code stop}, {@code length}, {@code tool_calls}…), or {@code null}
     */
    record ModelCall(
            String provider,
            String requestModel,
            String responseModel,
            long inputTokens,
            long outputTokens,
            String finishReason)
            implements GenAiOperation {}

    /**
     * One execution of a tool a model asked for.
     *
     * @param toolName the tool's name, as offered to the model
     * @param callId the id the model gave the call, or {@code null}
     */
    record ToolExecution(String toolName, String callId) implements GenAiOperation {}
}

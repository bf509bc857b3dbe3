package dev.tern.testkit.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * One scripted answer of {@link FakeOpenAi}: assistant text and/or tool calls, or an HTTP error. Immutable; customise
 * with the {@code with...} methods.
 *
 * @param status HTTP status; 200 for a completion, anything else for {@link #error}
 * @param text assistant text (or the error message when {@code status != 200}); may be null
 * @param toolCalls tool calls the assistant asks for; never null
 * @param finishReason OpenAI finish reason; null means "tool_calls" when there are tool calls, else "stop"
 * @param promptTokens usage.prompt_tokens
 * @param completionTokens usage.completion_tokens
 * @param model model name in the answer; null means the request's "model", else "fake-model"
 * @param chunks number of streamed content pieces; 0 means one piece per word (with its trailing space)
 * @param holdAfterChunks when {@code release} is set: content pieces streamed before holding
 * @param release when set, the answer is held (after {@code holdAfterChunks} pieces if streaming, before anything if
 *     not) until this latch is released or the fake closes
 * @param delay pause before answering at all
 */
public record FakeReply(
        int status,
        String text,
        List<ToolCall> toolCalls,
        String finishReason,
        int promptTokens,
        int completionTokens,
        String model,
        int chunks,
        int holdAfterChunks,
        CountDownLatch release,
        Duration delay) {

    /** A function call requested by the assistant; {@code argumentsJson} is sent verbatim. */
    public record ToolCall(String id, String name, String argumentsJson) {
        public ToolCall {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(argumentsJson, "argumentsJson");
        }
    }

    public FakeReply {
        toolCalls = List.copyOf(toolCalls);
        Objects.requireNonNull(delay, "delay");
    }

    /** Assistant text, finish_reason "stop". */
    public static FakeReply text(String content) {
        return new FakeReply(200, content, List.of(), null, 10, 5, null, 0, 0, null, Duration.ZERO);
    }

    /** Assistant tool calls with null content, finish_reason "tool_calls"; add text with {@link #withText}. */
    public static FakeReply toolCalls(ToolCall... calls) {
        return text(null).withToolCalls(calls);
    }

    /** An HTTP error with OpenAI's error body {@code {"error": {"message", "type", "code"}}}. */
    public static FakeReply error(int httpStatus, String message) {
        if (httpStatus == 200) throw new IllegalArgumentException("an error needs a non-200 status");
        return text(message).withStatus(httpStatus);
    }

    public boolean isError() {
        return status != 200;
    }

    /** The finish reason actually sent. */
    public String effectiveFinishReason() {
        return finishReason != null ? finishReason : toolCalls.isEmpty() ? "stop" : "tool_calls";
    }

    /** The streamed content pieces; they concatenate exactly to {@link #text()}. */
    public List<String> contentChunks() {
        if (text == null || text.isEmpty()) return List.of();
        if (chunks <= 0) return List.of(text.split("(?<=\\s)(?=\\S)"));
        int n = Math.min(chunks, text.length());
        List<String> pieces = new ArrayList<>(n);
        int start = 0;
        for (int i = 1; i <= n; i++) {
            int end = i == n ? text.length() : Math.max(start + 1, (int) ((long) text.length() * i / n));
            if (end < text.length() && Character.isLowSurrogate(text.charAt(end))) end++;
            if (end > start) pieces.add(text.substring(start, end));
            start = end;
        }
        return List.copyOf(pieces);
    }

    public FakeReply withText(String content) {
        return new FakeReply(
                status,
                content,
                toolCalls,
                finishReason,
                promptTokens,
                completionTokens,
                model,
                chunks,
                holdAfterChunks,
                release,
                delay);
    }

    public FakeReply withToolCalls(ToolCall... calls) {
        return new FakeReply(
                status,
                text,
                List.of(calls),
                finishReason,
                promptTokens,
                completionTokens,
                model,
                chunks,
                holdAfterChunks,
                release,
                delay);
    }

    public FakeReply withFinishReason(String reason) {
        return new FakeReply(
                status,
                text,
                toolCalls,
                reason,
                promptTokens,
                completionTokens,
                model,
                chunks,
                holdAfterChunks,
                release,
                delay);
    }

    public FakeReply withUsage(int prompt, int completion) {
        return new FakeReply(
                status,
                text,
                toolCalls,
                finishReason,
                prompt,
                completion,
                model,
                chunks,
                holdAfterChunks,
                release,
                delay);
    }

    public FakeReply withModel(String modelName) {
        return new FakeReply(
                status,
                text,
                toolCalls,
                finishReason,
                promptTokens,
                completionTokens,
                modelName,
                chunks,
                holdAfterChunks,
                release,
                delay);
    }

    /** Stream the text in {@code n} near-equal pieces instead of word by word. */
    public FakeReply withChunks(int n) {
        return new FakeReply(
                status,
                text,
                toolCalls,
                finishReason,
                promptTokens,
                completionTokens,
                model,
                n,
                holdAfterChunks,
                release,
                delay);
    }

    /**
     * Hold the answer until {@code latch} is counted down (or the fake closes, or the client disconnects): when
     * streaming, after the first {@code k} content pieces are written and flushed; otherwise before answering.
     */
    public FakeReply holdAfterChunks(int k, CountDownLatch latch) {
        return new FakeReply(
                status,
                text,
                toolCalls,
                finishReason,
                promptTokens,
                completionTokens,
                model,
                chunks,
                k,
                Objects.requireNonNull(latch, "latch"),
                delay);
    }

    public FakeReply withDelay(Duration pause) {
        return new FakeReply(
                status,
                text,
                toolCalls,
                finishReason,
                promptTokens,
                completionTokens,
                model,
                chunks,
                holdAfterChunks,
                release,
                pause);
    }

    private FakeReply withStatus(int httpStatus) {
        return new FakeReply(
                httpStatus,
                text,
                toolCalls,
                finishReason,
                promptTokens,
                completionTokens,
                model,
                chunks,
                holdAfterChunks,
                release,
                delay);
    }
}

package dev.tern.agents;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.TokenUsage;
import dev.tern.sdk.FunctionDefinition;
import dev.tern.sdk.GenAiOperation;
import dev.tern.sdk.ModelChoice;
import dev.tern.sdk.ModelEndpoint;
import dev.tern.sdk.RetryPolicy;
import dev.tern.sdk.RunFailedException;
import dev.tern.sdk.StepOptions;
import dev.tern.sdk.StepScope;
import dev.tern.sdk.StepType;
import dev.tern.sdk.Usage;
import dev.tern.sdk.WorkflowContext;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A durable model call: messages (and the tools offered) in, the model's reply out. The call is a step of the run: it
 * streams its tokens to the run's live watchers while it runs, reports its tokens and cost, is checkpointed when it
 * returns, and on replay returns the checkpoint without calling the model again. Its step is a {@code thought}, or a
 * {@code decision} when the model chose tools. Reaches any OpenAI-compatible server through LangChain4j.
 */
public final class Llm {
    /** The step name of every model call. */
    public static final String STEP_NAME = "model";

    /**
     * The provider named on traces and metrics ({@code gen_ai.provider.name}): every model is reached over OpenAI's
     * protocol.
     */
    static final String PROVIDER = "openai";
    /**
     * Three attempts; a request the server refused (bad key, unknown model, bad request) is never retried, whatever the
     * policy.
     */
    public static final RetryPolicy DEFAULT_RETRY = RetryPolicy.defaults();

    private final ModelEndpoint endpoint;
    private final String model;
    private final Double temperature;
    private final Integer maxOutputTokens;
    private final Duration timeout;
    private final RetryPolicy retry;
    private final Function<ModelEndpoint, StreamingChatModel> connector;
    private final Map<ModelEndpoint, StreamingChatModel> models = new ConcurrentHashMap<>();

    private Llm(Builder b) {
        this.endpoint = b.endpoint;
        this.model = b.model;
        this.temperature = b.temperature;
        this.maxOutputTokens = b.maxOutputTokens;
        this.timeout = b.timeout;
        this.retry = b.retry;
        this.connector = b.connector != null ? b.connector : this::openAi;
    }

    /**
     * Calls the model the node is configured with ({@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY},
     * {@code TERN_LLM_MODEL}).
     */
    public static Llm configured() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends {@code messages} to the model, offering {@code tools}, as one durable step; returns its (possibly replayed)
     * reply.
     */
    public ModelReply call(WorkflowContext ctx, List<ChatEntry> messages, List<AgentTool> tools) {
        ModelEndpoint target = endpoint != null
                ? endpoint
                : ctx.model()
                        .orElseThrow(() -> new RunFailedException(
                                "ModelNotConfigured",
                                "no language model is configured: set OPENAI_API_KEY (for OpenAI) or "
                                        + "OPENAI_BASE_URL (any OpenAI-compatible server)"));
        // a run told to use another model (a counterfactual fork) overrides the code's and the node's choice
        ModelChoice chosen = ctx.modelChoice().orElse(null);
        String modelName =
                chosen != null && chosen.model() != null ? chosen.model() : model != null ? model : target.model();
        ModelRequest request = new ModelRequest(
                modelName,
                messages,
                tools.stream().map(AgentTool::name).toList(),
                chosen != null && chosen.temperature() != null ? chosen.temperature() : temperature,
                chosen != null && chosen.maxOutputTokens() != null ? chosen.maxOutputTokens() : maxOutputTokens);
        List<ToolSpecification> specs =
                tools.stream().map(AgentTool::specification).toList();
        StepOptions options = StepOptions.of(StepType.THOUGHT).withRetry(retry);
        return ctx.call(
                FunctionDefinition.of(STEP_NAME, ModelRequest.class, ModelReply.class, r -> invoke(target, r, specs))
                        .withOptions(options),
                request);
    }

    /** The live call, inside the step: streams, waits for the whole reply, reports usage and type. */
    private ModelReply invoke(ModelEndpoint target, ModelRequest request, List<ToolSpecification> specs)
            throws Exception {
        StepScope scope = StepScope.current();
        ChatRequest.Builder chat = ChatRequest.builder()
                .messages(request.messages().stream().map(Llm::toLangChain).toList())
                .modelName(request.model());
        if (!specs.isEmpty()) chat.toolSpecifications(specs);
        if (request.temperature() != null) chat.temperature(request.temperature());
        if (request.maxOutputTokens() != null) chat.maxOutputTokens(request.maxOutputTokens());
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        models.computeIfAbsent(target, connector).chat(chat.build(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                if (scope != null) scope.token(text);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response;
        try {
            response = done.get();
        } catch (ExecutionException e) {
            throw ModelErrors.translate(e.getCause() == null ? e : e.getCause());
        }
        ModelReply reply = toReply(target, request.model(), response);
        if (scope != null) {
            scope.reportUsage(new Usage(reply.inputTokens(), reply.outputTokens(), reply.costUsd()));
            scope.report(new GenAiOperation.ModelCall(
                    PROVIDER,
                    request.model(),
                    reply.model(),
                    reply.inputTokens(),
                    reply.outputTokens(),
                    reply.finishReason()));
            if (reply.hasToolCalls()) scope.markType(StepType.DECISION);
        }
        return reply;
    }

    private static ModelReply toReply(ModelEndpoint target, String requested, ChatResponse response) {
        AiMessage ai = response.aiMessage();
        List<ToolCall> calls = ai.hasToolExecutionRequests()
                ? ai.toolExecutionRequests().stream()
                        .map(t -> new ToolCall(t.id(), t.name(), t.arguments()))
                        .toList()
                : List.of();
        TokenUsage usage = response.tokenUsage();
        long in = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        long out = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        String answeredBy = response.modelName() != null ? response.modelName() : requested;
        double cost = ModelPrices.of(target, answeredBy).cost(in, out);
        String finish = response.finishReason() == null
                ? null
                : switch (response.finishReason()) {
                    case STOP -> "stop";
                    case LENGTH -> "length";
                    case TOOL_EXECUTION -> "tool_calls";
                    case CONTENT_FILTER -> "content_filter";
                    default -> response.finishReason().name().toLowerCase(Locale.ROOT);
                };
        return new ModelReply(ai.text(), calls, finish, answeredBy, in, out, cost);
    }

    static ChatMessage toLangChain(ChatEntry e) {
        return switch (e.role()) {
            case SYSTEM -> SystemMessage.from(e.content());
            case USER -> UserMessage.from(e.content());
            case ASSISTANT -> {
                AiMessage.Builder b = AiMessage.builder().text(e.content());
                if (e.toolCalls() != null) {
                    b.toolExecutionRequests(e.toolCalls().stream()
                            .map(c -> ToolExecutionRequest.builder()
                                    .id(c.id())
                                    .name(c.name())
                                    .arguments(c.arguments())
                                    .build())
                            .toList());
                }
                yield b.build();
            }
            case TOOL -> ToolExecutionResultMessage.from(e.toolCallId(), e.toolName(), e.content());
        };
    }

    private StreamingChatModel openAi(ModelEndpoint target) {
        return OpenAiStreamingChatModel.builder()
                .baseUrl(target.baseUrl())
                .apiKey(target.apiKey() == null ? "none" : target.apiKey())
                .modelName(target.model())
                .timeout(timeout)
                .build();
    }

    /** Options of a model call; every one is optional. */
    public static final class Builder {
        private ModelEndpoint endpoint;
        private String model;
        private Double temperature;
        private Integer maxOutputTokens;
        private Duration timeout = Duration.ofMinutes(2);
        private RetryPolicy retry = DEFAULT_RETRY;
        private Function<ModelEndpoint, StreamingChatModel> connector;

        private Builder() {}

        /** Call this endpoint instead of the one the node is configured with. */
        public Builder endpoint(ModelEndpoint value) {
            this.endpoint = value;
            return this;
        }

        /** Call this model instead of the endpoint's default. */
        public Builder model(String value) {
            this.model = value;
            return this;
        }

        public Builder temperature(Double value) {
            this.temperature = value;
            return this;
        }

        public Builder maxOutputTokens(Integer value) {
            this.maxOutputTokens = value;
            return this;
        }

        /** How long one attempt may take before it fails and is retried (default two minutes). */
        public Builder timeout(Duration value) {
            this.timeout = java.util.Objects.requireNonNull(value, "timeout");
            return this;
        }

        /**
         * How failed calls are retried (default: three attempts). Requests the server refused (bad key, bad request)
         * never are.
         */
        public Builder retry(RetryPolicy value) {
            this.retry = java.util.Objects.requireNonNull(value, "retry");
            return this;
        }

        /**
         * Reach the model through this LangChain4j model instead of its OpenAI client (another provider, or a test
         * double).
         */
        public Builder connector(Function<ModelEndpoint, StreamingChatModel> value) {
            this.connector = value;
            return this;
        }

        public Llm build() {
            return new Llm(this);
        }
    }
}

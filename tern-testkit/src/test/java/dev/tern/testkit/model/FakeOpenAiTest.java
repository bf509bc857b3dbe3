package dev.tern.testkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Drives LangChain4j's real OpenAI clients against {@link FakeOpenAi}. */
class FakeOpenAiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ToolSpecification WEATHER = ToolSpecification.builder()
            .name("get_weather")
            .description("Current weather in a city")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("city")
                    .required("city")
                    .build())
            .build();

    private final FakeOpenAi fake = FakeOpenAi.start();

    @AfterEach
    void close() {
        fake.close();
    }

    private OpenAiChatModel chatModel() {
        return OpenAiChatModel.builder()
                .baseUrl(fake.baseUrl())
                .apiKey("test-key")
                .modelName("gpt-4o-mini")
                .maxRetries(0)
                .timeout(WAIT)
                .build();
    }

    private OpenAiStreamingChatModel streamingModel() {
        return OpenAiStreamingChatModel.builder()
                .baseUrl(fake.baseUrl())
                .apiKey("test-key")
                .modelName("gpt-4o-mini")
                .timeout(WAIT)
                .build();
    }

    @Test
    void nonStreamingText() throws Exception {
        fake.enqueue(FakeReply.text("Hello there").withUsage(12, 3).withModel("gpt-4o-mini-2024-07-18"));

        ChatResponse response = chatModel()
                .chat(ChatRequest.builder().messages(UserMessage.from("Hi")).build());

        assertThat(response.aiMessage().text()).isEqualTo("Hello there");
        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(12);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3);
        assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(15);
        assertThat(response.modelName()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(response.id()).startsWith("chatcmpl-");

        JsonNode request = fake.awaitRequests(1, WAIT).get(0);
        assertThat(request.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(request.path("stream").asBoolean(false)).isFalse();
        assertThat(request.path("messages")).hasSize(1);
        assertThat(request.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(request.at("/messages/0/content").asText()).isEqualTo("Hi");
        assertThat(fake.authorizations()).containsExactly("Bearer test-key");
        assertThat(fake.requestCount()).isEqualTo(1);
    }

    @Test
    void defaultResponderEchoesTheRequestedModel() {
        ChatResponse first = chatModel()
                .chat(ChatRequest.builder().messages(UserMessage.from("Hi")).build());
        assertThat(first.aiMessage().text()).isEqualTo("ok");
        assertThat(first.modelName()).isEqualTo("gpt-4o-mini");

        fake.respondWith(request ->
                FakeReply.text("echo " + request.at("/messages/0/content").asText()));
        assertThat(chatModel().chat("ping")).isEqualTo("echo ping");
    }

    @Test
    void nonStreamingToolCallsAndTheFollowUpRequest() throws Exception {
        fake.enqueue(
                FakeReply.toolCalls(
                        new FakeReply.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                        new FakeReply.ToolCall("call_2", "get_weather", "{\"city\":\"Oslo\"}")),
                FakeReply.text("Paris is sunny, Oslo is cold."));
        OpenAiChatModel model = chatModel();
        List<ChatMessage> messages = new ArrayList<>(List.of(UserMessage.from("Weather in Paris and Oslo?")));

        ChatResponse first = model.chat(ChatRequest.builder()
                .messages(messages)
                .toolSpecifications(WEATHER)
                .build());

        assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        AiMessage ai = first.aiMessage();
        assertThat(ai.text()).isNull();
        assertThat(ai.toolExecutionRequests())
                .extracting(ToolExecutionRequest::id, ToolExecutionRequest::name, ToolExecutionRequest::arguments)
                .containsExactly(
                        tuple("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                        tuple("call_2", "get_weather", "{\"city\":\"Oslo\"}"));

        messages.add(ai);
        ai.toolExecutionRequests().forEach(call -> messages.add(ToolExecutionResultMessage.from(call, "sunny")));
        ChatResponse second = model.chat(ChatRequest.builder()
                .messages(messages)
                .toolSpecifications(WEATHER)
                .build());
        assertThat(second.aiMessage().text()).isEqualTo("Paris is sunny, Oslo is cold.");

        List<JsonNode> requests = fake.awaitRequests(2, WAIT);
        JsonNode offered = requests.get(0).path("tools").get(0);
        assertThat(offered.path("type").asText()).isEqualTo("function");
        assertThat(offered.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(offered.at("/function/parameters/properties/city/type").asText())
                .isEqualTo("string");
        JsonNode followUp = requests.get(1).path("messages");
        assertThat(followUp).hasSize(4);
        assertThat(followUp.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(followUp.get(1).at("/tool_calls/1/id").asText()).isEqualTo("call_2");
        assertThat(followUp.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(followUp.get(2).path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(followUp.get(3).path("tool_call_id").asText()).isEqualTo("call_2");
        assertThat(followUp.get(3).path("content").asText()).isEqualTo("sunny");
    }

    @Test
    void streamingText() throws Exception {
        String text = "The quick brown fox jumps over the lazy dog.";
        fake.enqueue(FakeReply.text(text).withUsage(20, 9));
        Collector handler = new Collector();

        streamingModel()
                .chat(
                        ChatRequest.builder()
                                .messages(UserMessage.from("Tell me"))
                                .build(),
                        handler);

        ChatResponse response = handler.done.get(10, TimeUnit.SECONDS);
        assertThat(handler.partials).hasSize(9);
        assertThat(String.join("", handler.partials)).isEqualTo(text);
        assertThat(response.aiMessage().text()).isEqualTo(text);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(20);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(9);
        assertThat(response.modelName()).isEqualTo("gpt-4o-mini");

        // What LangChain4j 1.19.0 sends when streaming:
        JsonNode request = fake.awaitRequests(1, WAIT).get(0);
        assertThat(request.path("stream").asBoolean()).isTrue();
        assertThat(request.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(fake.authorizations()).containsExactly("Bearer test-key");
    }

    @Test
    void streamingWithFixedChunkCount() throws Exception {
        fake.enqueue(FakeReply.text("abcdefghij").withChunks(3));
        Collector handler = new Collector();
        streamingModel()
                .chat(ChatRequest.builder().messages(UserMessage.from("x")).build(), handler);
        assertThat(handler.done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("abcdefghij");
        assertThat(handler.partials).containsExactly("abc", "def", "ghij");
    }

    @Test
    void streamingToolCalls() throws Exception {
        fake.enqueue(FakeReply.toolCalls(
                        new FakeReply.ToolCall("call_a", "get_weather", "{\"city\":\"Lisbon\"}"),
                        new FakeReply.ToolCall("call_b", "get_time", "{\"zone\":\"Europe/Lisbon\"}"))
                .withText("Let me check."));
        Collector handler = new Collector();

        streamingModel()
                .chat(
                        ChatRequest.builder()
                                .messages(UserMessage.from("?"))
                                .toolSpecifications(WEATHER)
                                .build(),
                        handler);

        ChatResponse response = handler.done.get(10, TimeUnit.SECONDS);
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(response.aiMessage().text()).isEqualTo("Let me check.");
        assertThat(response.aiMessage().toolExecutionRequests())
                .extracting(ToolExecutionRequest::id, ToolExecutionRequest::name, ToolExecutionRequest::arguments)
                .containsExactly(
                        tuple("call_a", "get_weather", "{\"city\":\"Lisbon\"}"),
                        tuple("call_b", "get_time", "{\"zone\":\"Europe/Lisbon\"}"));
        assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(15);
    }

    @Test
    void holdAfterChunksShowsTokensBeforeTheReplyCompletes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        fake.enqueue(FakeReply.text("one two three four").holdAfterChunks(2, release));
        Collector handler = new Collector();

        streamingModel()
                .chat(ChatRequest.builder().messages(UserMessage.from("count")).build(), handler);

        await().atMost(WAIT).until(() -> handler.partials.size() == 2);
        Thread.sleep(200);
        assertThat(handler.partials).containsExactly("one ", "two ");
        assertThat(handler.done).isNotDone();

        release.countDown();
        assertThat(handler.done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("one two three four");
    }

    @Test
    void closingTheFakeEndsAHeldCall() throws Exception {
        fake.enqueue(FakeReply.text("never finished").holdAfterChunks(1, new CountDownLatch(1)));
        Collector handler = new Collector();
        streamingModel()
                .chat(ChatRequest.builder().messages(UserMessage.from("x")).build(), handler);
        await().atMost(WAIT).until(() -> handler.partials.size() == 1);

        fake.close();

        assertThat(handler.error.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(handler.done).isCompletedExceptionally();
    }

    @Test
    void aHeldStreamNoticesTheClientHangingUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        fake.enqueue(FakeReply.text("one two three").holdAfterChunks(1, release));
        CompletableFuture<String> first = new CompletableFuture<>();
        streamingModel()
                .chat(
                        ChatRequest.builder().messages(UserMessage.from("x")).build(),
                        new StreamingChatResponseHandler() {
                            @Override
                            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                                context.streamingHandle().cancel(); // closes the connection, as a crashed client would
                                first.complete(partial.text());
                            }

                            @Override
                            public void onCompleteResponse(ChatResponse response) {}

                            @Override
                            public void onError(Throwable error) {}
                        });

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("one ");
        await().atMost(WAIT).until(() -> fake.inFlight() == 0);
        assertThat(release.getCount()).isEqualTo(1);
    }

    @Test
    void errorReplies() {
        // Non-streaming: OpenAiChatModel.chat throws dev.langchain4j.exception.InvalidRequestException for 4xx
        // (400..499 other than 401/403 -> AuthenticationException, 404 -> ModelNotFoundException,
        // 408 -> TimeoutException, 429 -> RateLimitException) and InternalServerException for 5xx. All extend
        // LangChain4jException; the message is the raw error body, e.g. {"error":{"message":"Bad thing",...}}.
        fake.enqueue(FakeReply.error(400, "Bad thing"), FakeReply.error(429, "Slow down"));
        assertThatThrownBy(() -> chatModel().chat("hi"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("Bad thing");
        assertThatThrownBy(() -> chatModel().chat("hi"))
                .isInstanceOf(RateLimitException.class)
                .hasMessageContaining("Slow down");
    }

    @Test
    void streamingErrorReplyReachesOnError() throws Exception {
        // Streaming: the same mapped exception is passed to StreamingChatResponseHandler.onError.
        fake.enqueue(FakeReply.error(500, "Server on fire"));
        Collector handler = new Collector();
        streamingModel()
                .chat(ChatRequest.builder().messages(UserMessage.from("x")).build(), handler);
        assertThat(handler.error.get(10, TimeUnit.SECONDS))
                .isInstanceOf(InternalServerException.class)
                .hasMessageContaining("Server on fire");
    }

    @Test
    void malformedRequestsAndUnknownPaths() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> notJson = http.send(
                HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{nope"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("\"type\":\"invalid_request_error\"");

        HttpResponse<String> noMessages = http.send(
                HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(noMessages.body()).contains("messages");

        HttpResponse<String> unknown = http.send(
                HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/embeddings"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(fake.requestCount()).isZero();
    }

    /** Collects streamed partial responses and the outcome. */
    private static final class Collector implements StreamingChatResponseHandler {
        final List<String> partials = new CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        final CompletableFuture<Throwable> error = new CompletableFuture<>();

        @Override
        public void onPartialResponse(String partial) {
            partials.add(partial);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
        }

        @Override
        public void onError(Throwable failure) {
            done.completeExceptionally(failure);
            error.complete(failure);
        }
    }
}

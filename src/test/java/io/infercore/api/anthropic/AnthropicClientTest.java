package io.infercore.api.anthropic;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import io.infercore.api.openai.ToolEnginesResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /v1/messages} through LangChain4j's Anthropic client ({@code langchain4j-anthropic}, the
 * version of the LangChain4j BOM), unmodified: plain and streamed chat on the embedded stories260K
 * model, function calling on the fake vLLM 0.11 of {@link ToolEnginesResource}, and errors mapped
 * to LangChain4j's exceptions from Anthropic's error shape.
 */
@QuarkusTest
@WithTestResource(ToolEnginesResource.class)
class AnthropicClientTest {

    static final String CAT = "Tell me about a cat";
    static final ToolSpecification WEATHER = ToolSpecification.builder().name("get_weather")
            .description("Current weather of a city")
            .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();

    @TestHTTPResource("/")
    URL base;

    AnthropicChatModel model(String name, int maxTokens) {
        return AnthropicChatModel.builder().baseUrl(base + "v1/").apiKey("not-needed").modelName(name)
                .maxTokens(maxTokens).temperature(0.0).maxRetries(0).timeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void should_chat_with_the_text_the_messages_route_answers() {
        ChatResponse response = model("stories260k", 12).chat(UserMessage.from(CAT));

        String direct = given().contentType(ContentType.JSON).body("{\"model\":\"stories260k\",\"max_tokens\":12,"
                        + "\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"" + CAT + "\"}]}")
                .when().post("/v1/messages").then().statusCode(200).extract().path("content[0].text");
        assertThat(response.aiMessage().text()).isEqualTo(direct);
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(12);
        assertThat(response.tokenUsage().inputTokenCount()).isPositive();
        assertThat(response.metadata().id()).startsWith("msg_");
    }

    @Test
    void should_stream_the_same_text() throws Exception {
        String plain = model("stories260k", 12).chat(UserMessage.from(CAT)).aiMessage().text();
        AnthropicStreamingChatModel streaming = AnthropicStreamingChatModel.builder().baseUrl(base + "v1/")
                .apiKey("not-needed").modelName("stories260k").maxTokens(12).temperature(0.0)
                .timeout(Duration.ofSeconds(60)).build();
        StringBuilder partial = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming.chat(List.of(UserMessage.from(CAT)), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                partial.append(text);
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
        ChatResponse response = done.get(60, TimeUnit.SECONDS);

        assertThat(partial.toString()).isEqualTo(plain);
        assertThat(response.aiMessage().text()).isEqualTo(plain);
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(12);
    }

    @Test
    void should_call_a_tool_and_take_its_result_back() {
        AnthropicChatModel model = model(ToolEnginesResource.VLLM_MODEL, 64);
        UserMessage question = UserMessage.from("Paris");
        ChatResponse call = model.chat(ChatRequest.builder().messages(question).toolSpecifications(WEATHER).build());

        assertThat(call.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        ToolExecutionRequest request = call.aiMessage().toolExecutionRequests().get(0);
        assertThat(request.name()).isEqualTo("get_weather");
        assertThat(request.arguments()).contains("\"city\"");

        ChatResponse answer = model.chat(ChatRequest.builder().messages(question, call.aiMessage(),
                ToolExecutionResultMessage.from(request, "18 C, sunny")).toolSpecifications(WEATHER).build());
        AiMessage reply = answer.aiMessage();
        assertThat(reply.hasToolExecutionRequests()).isFalse();
        assertThat(reply.text()).isNotBlank();
        assertThat(answer.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void should_raise_langchain4js_exceptions_from_anthropics_error_shape() {
        assertThatThrownBy(() -> model("no-such-model", 4).chat(UserMessage.from(CAT)))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("no-such-model");
        assertThatThrownBy(() -> model("stories260k", 4).chat(ChatRequest.builder().messages(UserMessage.from(CAT))
                .temperature(5.0).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("temperature");
    }
}

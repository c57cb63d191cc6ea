package io.infercore.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /v1} through LangChain4j's {@code OpenAiChatModel} and {@code OpenAiStreamingChatModel},
 * the way a Java platform built on LangChain4j would call infercore, against stories260K.
 */
@QuarkusTest
class LangChain4jClientTest {

    static final String CAT = "Tell me about a cat";

    @TestHTTPResource("/")
    URL base;

    OpenAiChatModel.OpenAiChatModelBuilder chatModel(String model) {
        return OpenAiChatModel.builder().baseUrl(base + "v1").apiKey("not-needed").modelName(model)
                .maxTokens(16).temperature(0.0).maxRetries(0).timeout(Duration.ofSeconds(60));
    }

    OpenAiStreamingChatModel streamingModel() {
        return OpenAiStreamingChatModel.builder().baseUrl(base + "v1").apiKey("not-needed").modelName("stories260k")
                .maxTokens(16).temperature(0.0).timeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void should_chat_with_the_embedded_model() {
        ChatResponse response = chatModel("stories260k").build().chat(UserMessage.from(CAT));

        assertThat(response.aiMessage().text()).isNotBlank();
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(16);
        assertThat(response.modelName()).isEqualTo("stories260k");
    }

    @Test
    void should_stream_the_same_text_with_usage_and_finish_reason() throws Exception {
        String plain = chatModel("stories260k").build().chat(CAT);
        StringBuilder partials = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        streamingModel().chat(CAT, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.append(partial);
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

        assertThat(partials.toString()).isEqualTo(plain);
        assertThat(response.aiMessage().text()).isEqualTo(plain);
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        // LangChain4j asks for stream_options.include_usage; the usage chunk carries the counts.
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(16);
        assertThat(response.tokenUsage().inputTokenCount()).isPositive();
    }

    @Test
    void should_answer_json_conforming_to_a_response_format_schema() throws Exception {
        JsonSchema schema = JsonSchema.builder().name("pick").rootElement(JsonObjectSchema.builder()
                .addEnumProperty("color", List.of("red", "green", "blue"))
                .addBooleanProperty("happy")
                .required("color", "happy").additionalProperties(false).build()).build();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(CAT))
                .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build())
                .maxOutputTokens(40).build();

        String text = chatModel("stories260k").build().chat(request).aiMessage().text();

        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.get("color").asText()).isIn("red", "green", "blue");
        assertThat(json.get("happy").isBoolean()).as(text).isTrue();
    }

    @Test
    void should_raise_model_not_found_with_our_message() {
        assertThatThrownBy(() -> chatModel("no-such-model").build().chat(CAT))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("The model 'no-such-model' does not exist");
    }

    @Test
    void should_raise_invalid_request_for_a_bad_temperature() {
        assertThatThrownBy(() -> chatModel("stories260k").temperature(7.0).build().chat(CAT))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("temperature must be between 0 and 2");
    }
}

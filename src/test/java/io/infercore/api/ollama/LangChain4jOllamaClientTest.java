package io.infercore.api.ollama;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.ollama.OllamaModel;
import dev.langchain4j.model.ollama.OllamaModels;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.Response;
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
 * Infercore's Ollama API through LangChain4j's Ollama client ({@code langchain4j-ollama}), the way
 * a Java application written for Ollama calls it: chat, streaming chat, JSON-schema output,
 * embeddings and the model list, on the embedded stories260K and all-minilm-l6-v2 models.
 */
@QuarkusTest
class LangChain4jOllamaClientTest {

    static final String CAT = "Tell me about a cat";

    @TestHTTPResource("/")
    URL base;

    String baseUrl() {
        return base.toString().replaceAll("/$", "");
    }

    OllamaChatModel.OllamaChatModelBuilder chat(String model) {
        return OllamaChatModel.builder().baseUrl(baseUrl()).modelName(model).numPredict(8).temperature(0.0)
                .timeout(Duration.ofSeconds(60)).maxRetries(0);
    }

    @Test
    void should_chat_whole_and_streamed_with_the_same_text() throws Exception {
        ChatResponse whole = chat("stories260k").build().chat(ChatRequest.builder().messages(UserMessage.from(CAT)).build());
        assertThat(whole.aiMessage().text()).isNotBlank();
        assertThat(whole.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(whole.tokenUsage().outputTokenCount()).isEqualTo(8);
        assertThat(whole.tokenUsage().inputTokenCount()).isPositive();

        OllamaStreamingChatModel streaming = OllamaStreamingChatModel.builder().baseUrl(baseUrl()).modelName("stories260k")
                .numPredict(8).temperature(0.0).timeout(Duration.ofSeconds(60)).build();
        StringBuilder partials = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming.chat(CAT, new StreamingChatResponseHandler() {
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
        ChatResponse streamed = done.get(60, TimeUnit.SECONDS);
        assertThat(partials.toString()).isEqualTo(whole.aiMessage().text());
        assertThat(streamed.aiMessage().text()).isEqualTo(whole.aiMessage().text());
        assertThat(streamed.tokenUsage().outputTokenCount()).isEqualTo(8);
    }

    @Test
    void should_constrain_the_answer_to_a_json_schema() {
        JsonSchema schema = JsonSchema.builder().name("pet").rootElement(JsonObjectSchema.builder()
                .addBooleanProperty("happy").required("happy").build()).build();
        ChatResponse response = chat("stories260k").numPredict(40).build().chat(ChatRequest.builder()
                .messages(UserMessage.from(CAT)).responseFormat(ResponseFormat.builder()
                        .type(dev.langchain4j.model.chat.request.ResponseFormatType.JSON).jsonSchema(schema).build())
                .build());
        assertThat(response.aiMessage().text().replace(" ", "")).matches("\\{\"happy\":(true|false)}\\s*");
    }

    @Test
    void should_embed_and_list_models() {
        OllamaEmbeddingModel embedder = OllamaEmbeddingModel.builder().baseUrl(baseUrl()).modelName("all-minilm-l6-v2")
                .timeout(Duration.ofSeconds(60)).build();
        Response<List<Embedding>> vectors = embedder.embedAll(List.of(TextSegment.from("a cat"), TextSegment.from("a dog")));
        assertThat(vectors.content()).hasSize(2);
        assertThat(vectors.content().get(0).dimension()).isEqualTo(384);

        List<OllamaModel> models = OllamaModels.builder().baseUrl(baseUrl()).build().availableModels().content();
        assertThat(models).extracting(OllamaModel::getName).contains("stories260k", "all-minilm-l6-v2");
    }

    @Test
    void should_fail_on_an_unknown_model_with_ollamas_message() {
        assertThatThrownBy(() -> chat("no-such-model").build().chat(CAT))
                .hasMessageContaining("model 'no-such-model' not found");
    }
}

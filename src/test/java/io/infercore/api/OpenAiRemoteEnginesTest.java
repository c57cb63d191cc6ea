package io.infercore.api;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1} in front of remote engines (the fake vLLM and SGLang servers of
 * {@link RemoteEnginesResource}), through the OpenAI SDK and LangChain4j: how {@code model}
 * picks the engine, what {@code /v1/models} lists, and reasoning kept apart from content.
 */
@QuarkusTest
@WithTestResource(RemoteEnginesResource.class)
class OpenAiRemoteEnginesTest {

    static final String VLLM = RemoteEnginesResource.VLLM_MODEL;
    static final String SGLANG = RemoteEnginesResource.SGLANG_MODEL;

    @TestHTTPResource("/")
    URL base;

    OpenAIClient client;

    @BeforeEach
    void connect() {
        RemoteEnginesResource.vllm.awaitListening();
        RemoteEnginesResource.sglang.awaitListening();
        RemoteEnginesResource.vllm.resetStats();
        client = OpenAIOkHttpClient.builder().baseUrl(base + "v1").apiKey("not-needed").maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    static ChatCompletionCreateParams.Builder chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Tell me about a cat")
                .maxCompletionTokens(12).temperature(0.0);
    }

    @Test
    void should_list_remote_models_owned_by_their_engine_after_the_embedded_ones() {
        List<Model> models = client.models().list().data();

        assertThat(models).extracting(Model::id).startsWith("stories260k", "all-minilm-l6-v2");
        assertThat(models).filteredOn(m -> m.id().equals(VLLM)).singleElement()
                .satisfies(m -> assertThat(m.ownedBy()).isEqualTo("vllm"));
        assertThat(models).filteredOn(m -> m.id().equals(SGLANG)).singleElement()
                .satisfies(m -> assertThat(m.ownedBy()).isEqualTo("sglang"));
    }

    @Test
    void should_route_a_plain_model_name_to_the_engine_that_lists_it() {
        // SGLang accepts any model name and comes first in engine order: only the listing routes this to vLLM.
        ChatCompletion completion = client.chat().completions().create(chat(VLLM).build());

        assertThat(completion.model()).isEqualTo(VLLM);
        assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(t -> assertThat(t).isNotBlank());
        assertThat(RemoteEnginesResource.vllm.lastRequest("/v1/chat/completions").path("model").asText()).isEqualTo(VLLM);
    }

    @Test
    void should_route_an_engine_prefixed_model_to_that_engine() {
        ChatCompletion completion = client.chat().completions().create(chat("vllm/llama3.2").build());

        // The vLLM adapter resolves its alias llama3.2 to the served model.
        assertThat(completion.model()).isEqualTo(VLLM);
        assertThat(RemoteEnginesResource.vllm.lastRequest("/v1/chat/completions").path("model").asText()).isEqualTo(VLLM);
    }

    @Test
    void should_return_reasoning_in_reasoning_content_apart_from_the_content() {
        ChatCompletion completion = client.chat().completions().create(chat(VLLM)
                .reasoningEffort(ReasoningEffort.MEDIUM).maxCompletionTokens(40).build());

        ChatCompletion.Choice choice = completion.choices().get(0);
        Map<String, JsonValue> extra = choice.message()._additionalProperties();
        String reasoning = extra.get("reasoning_content").asStringOrThrow();
        assertThat(reasoning).isNotBlank();
        assertThat(choice.message().content().orElseThrow()).doesNotContain(reasoning);
        assertThat(RemoteEnginesResource.vllm.lastRequest("/v1/chat/completions")
                .path("chat_template_kwargs").path("enable_thinking").asBoolean()).isTrue();
    }

    @Test
    void should_stream_reasoning_deltas_that_langchain4j_reads_as_thinking() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(base + "v1").apiKey("not-needed")
                .modelName(VLLM).maxTokens(40).reasoningEffort("medium").returnThinking(true)
                .timeout(Duration.ofSeconds(30)).build();
        StringBuilder thinking = new StringBuilder();
        StringBuilder text = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        model.chat("Tell me about a cat", new StreamingChatResponseHandler() {
            @Override
            public void onPartialThinking(PartialThinking partial) {
                thinking.append(partial.text());
            }

            @Override
            public void onPartialResponse(String partial) {
                text.append(partial);
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
        ChatResponse response = done.get(30, TimeUnit.SECONDS);

        assertThat(thinking.toString()).isNotBlank();
        assertThat(response.aiMessage().thinking()).isEqualTo(thinking.toString());
        assertThat(response.aiMessage().text()).isEqualTo(text.toString()).doesNotContain(thinking.toString());
    }

    @Test
    void should_stream_from_a_remote_engine_in_openai_chunk_order() {
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat(SGLANG).build())) {
            List<ChatCompletionChunk> chunks = stream.stream().toList();
            assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
            assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason()).isPresent();
            assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo(SGLANG));
        }
    }

    /**
     * A vLLM started without {@code --enable-auto-tool-choice} refuses "auto" tool choice: its 400
     * reaches the client, so the fix (the launch flags) is visible. SGLang without a
     * {@code --tool-call-parser} answers with text instead, as the real one does.
     */
    @Test
    void should_relay_vllm_refusing_auto_tool_choice_and_sglang_answering_without_a_parser() {
        com.openai.models.FunctionDefinition weather = com.openai.models.FunctionDefinition.builder().name("get_weather")
                .build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.chat().completions().create(
                        chat(VLLM).addFunctionTool(weather).build()))
                .isInstanceOfSatisfying(com.openai.errors.BadRequestException.class, e ->
                        assertThat(e.getMessage()).contains("--enable-auto-tool-choice"));

        ChatCompletion answer = client.chat().completions().create(chat(SGLANG).addFunctionTool(weather).build());

        assertThat(answer.choices().get(0).message().content()).isPresent();
        assertThat(answer.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(RemoteEnginesResource.sglang.lastRequest("/v1/chat/completions").path("tools")).hasSize(1);
    }
}

package io.infercore.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.SseException;
import com.openai.models.FunctionDefinition;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.infercore.engine.llamacpp.LlamaCppEngine;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code /v1} through the official OpenAI Java SDK ({@code com.openai:openai-java}), against the
 * embedded stories260K model: what a platform's own client sees, parsed by OpenAI's own models.
 */
@QuarkusTest
class OpenAiSdkTest {

    static final String MODEL = "stories260k";
    static final String CAT = "Tell me about a cat";

    @TestHTTPResource("/")
    URL base;
    @Inject
    LlamaCppEngine engine;

    OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder().baseUrl(base + "v1").apiKey("not-needed")
                .maxRetries(0).timeout(Duration.ofSeconds(60)).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    static ChatCompletionCreateParams.Builder chat(int maxTokens) {
        return ChatCompletionCreateParams.builder().model(MODEL).addUserMessage(CAT)
                .maxCompletionTokens(maxTokens).temperature(0.0);
    }

    @Test
    void should_list_the_embedded_models_first_and_skip_unreachable_engines() {
        List<Model> models = client.models().list().data();
        // Ollama and SGLang are not running here and vLLM has no base_url: listing still answers.
        assertThat(models).extracting(Model::id).startsWith(MODEL, "all-minilm-l6-v2");
        assertThat(models).allSatisfy(m -> assertThat(m.ownedBy()).isEqualTo("llamacpp"));
        assertThat(client.models().retrieve(MODEL).id()).isEqualTo(MODEL);
    }

    @Test
    void should_answer_a_chat_completion_exactly_as_the_native_api_does() {
        ChatCompletion completion = client.chat().completions().create(chat(16).build());

        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo(MODEL);
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(choice.message().content()).hasValueSatisfying(text -> assertThat(text).isNotBlank());
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(16);
        assertThat(completion.usage().orElseThrow().promptTokens()).isPositive();

        String nativeText = given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"" + CAT + "\"}],\"max_tokens\":16,\"temperature\":0}")
                .when().post("/api/v1/llm/chat").then().statusCode(200).extract().path("data.text");
        assertThat(choice.message().content()).hasValue(nativeText);
    }

    @Test
    void should_stream_a_role_chunk_content_a_finish_chunk_then_usage_with_no_choices() {
        String plain = client.chat().completions().create(chat(16).build()).choices().get(0).message().content().orElseThrow();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat(16)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            chunks = stream.stream().toList();
        }

        assertThat(chunks).allSatisfy(c -> assertThat(c.id()).isEqualTo(chunks.get(0).id()));
        assertThat(chunks.get(0).choices().get(0).delta().role()).contains(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
        ChatCompletionChunk usage = chunks.get(chunks.size() - 1);
        assertThat(usage.choices()).isEmpty();
        assertThat(usage.usage().orElseThrow().completionTokens()).isEqualTo(16);
        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        assertThat(finish.choices().get(0).finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.LENGTH);
        assertThat(chunks.subList(0, chunks.size() - 2))
                .allSatisfy(c -> assertThat(c.choices().get(0).finishReason()).isEmpty());
        assertThat(content(chunks)).isEqualTo(plain);
    }

    @Test
    void should_send_no_usage_chunk_without_include_usage() {
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat(8).build())) {
            chunks = stream.stream().toList();
        }
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.choices()).hasSize(1);
            assertThat(c.usage()).isEmpty();
        });
        assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason()).isPresent();
    }

    @Test
    void should_constrain_the_content_to_a_json_schema() throws Exception {
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of("color", Map.of("enum", List.of("red", "green", "blue")),
                        "happy", Map.of("type", "boolean")),
                "required", List.of("color", "happy"), "additionalProperties", false);
        ResponseFormatJsonSchema format = ResponseFormatJsonSchema.builder()
                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name("pick").strict(true)
                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .additionalProperties(toJsonValues(schema)).build()).build()).build();

        String content = client.chat().completions().create(chat(40).responseFormat(format).build())
                .choices().get(0).message().content().orElseThrow();

        JsonNode json = new ObjectMapper().readTree(content);
        assertThat(json.get("color").asText()).isIn("red", "green", "blue");
        assertThat(json.get("happy").isBoolean()).as(content).isTrue();
    }

    @Test
    void should_constrain_the_content_to_an_object_with_json_object() {
        String content = client.chat().completions().create(chat(24)
                        .responseFormat(ResponseFormatJsonObject.builder().build()).build())
                .choices().get(0).message().content().orElseThrow();
        assertThat(content).startsWith("{");
    }

    @Test
    void should_raise_not_found_with_our_message_for_an_unknown_model() {
        assertThatThrownBy(() -> client.chat().completions().create(chat(4).model("no-such-model").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("The model 'no-such-model' does not exist").contains("ollama/");
                    assertThat(e.param()).contains("model");
                    assertThat(e.type()).contains("not_found_error");
                });
    }

    @Test
    void should_raise_bad_request_naming_the_param_for_a_bad_temperature() {
        assertThatThrownBy(() -> client.chat().completions().create(chat(4).temperature(3.5).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).contains("temperature");
                    assertThat(e.type()).contains("invalid_request_error");
                    assertThat(e.getMessage()).contains("temperature must be between 0 and 2");
                });
    }

    @Test
    void should_answer_n_choices_refuse_more_than_eight_and_take_tools_on_the_embedded_engine() {
        assertThat(client.chat().completions().create(chat(4).n(2).build()).choices())
                .extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L);
        assertThatThrownBy(() -> client.chat().completions().create(chat(4).n(9).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("n"));
        // the embedded engine calls functions (grammar-constrained; EmbeddedToolsTest checks the calls)
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather").build();
        ChatCompletion answer = client.chat().completions().create(chat(32).addFunctionTool(weather).build());
        assertThat(answer.choices()).hasSize(1);
        answer.choices().get(0).message().toolCalls().ifPresent(calls -> assertThat(calls)
                .allSatisfy(c -> assertThat(c.asFunction().function().name()).isEqualTo("get_weather")));
    }

    @Test
    void should_end_a_started_stream_with_an_error_chunk() {
        String longPrompt = "Once upon a time there was a little dog. ".repeat(60);
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(MODEL)
                .addUserMessage(longPrompt).maxCompletionTokens(300).build();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            assertThatThrownBy(() -> stream.stream().toList())
                    .isInstanceOfSatisfying(SseException.class, e -> assertThat(e.getMessage()).contains("context length"));
        }
    }

    @Test
    void should_complete_text_on_the_legacy_endpoint_plain_and_streamed() {
        CompletionCreateParams params = CompletionCreateParams.builder().model(MODEL).prompt("Once upon a time")
                .maxTokens(12).temperature(0.0).build();
        Completion plain = client.completions().create(params);
        assertThat(plain.id()).startsWith("cmpl-");
        assertThat(plain.choices().get(0).finishReason().asString()).isEqualTo("length");

        String nativeText = given().contentType(ContentType.JSON)
                .body("{\"prompt\":\"Once upon a time\",\"max_tokens\":12,\"temperature\":0}")
                .when().post("/api/v1/llm/generate").then().statusCode(200).extract().path("data.text");
        assertThat(plain.choices().get(0).text()).isEqualTo(nativeText);

        try (StreamResponse<Completion> stream = client.completions().createStreaming(params)) {
            List<Completion> chunks = stream.stream().toList();
            assertThat(chunks.stream().map(c -> c.choices().get(0).text()).collect(Collectors.joining()))
                    .isEqualTo(nativeText);
            assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason().asString()).isEqualTo("length");
        }
    }

    @Test
    void should_embed_with_the_embedded_model_as_floats_and_as_base64() {
        EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder().model("all-minilm-l6-v2")
                .inputOfArrayOfStrings(List.of("a cat", "a dog"));
        CreateEmbeddingResponse floats = client.embeddings().create(params
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
        CreateEmbeddingResponse base64 = client.embeddings().create(params
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());

        assertThat(floats.data()).hasSize(2);
        assertThat(floats.data().get(1).index()).isEqualTo(1);
        assertThat(floats.data().get(0).embedding()).hasSize(384);
        assertThat(floats.model()).isEqualTo("all-minilm-l6-v2");
        assertThat(floats.usage().promptTokens()).isPositive();
        assertThat(base64.data().get(0).embedding()).isEqualTo(floats.data().get(0).embedding());
    }

    private static String content(List<ChatCompletionChunk> chunks) {
        return chunks.stream().filter(c -> !c.choices().isEmpty())
                .map(c -> c.choices().get(0).delta().content().orElse(""))
                .collect(Collectors.joining());
    }

    private static Map<String, JsonValue> toJsonValues(Map<String, Object> map) {
        return map.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> JsonValue.from(e.getValue())));
    }
}

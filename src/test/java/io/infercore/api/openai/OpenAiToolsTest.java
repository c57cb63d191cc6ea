package io.infercore.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Function calling through {@code /v1/chat/completions} with real clients (the OpenAI Java SDK and
 * LangChain4j's {@code OpenAiChatModel}): tools reach the engine as declared, calls come back in
 * OpenAI's shape, plain and streamed, and the tool result goes back on the next turn. Engines:
 * the fake vLLM 0.11 (tool-calling flags), fake SGLang 0.5 ({@code --tool-call-parser}) and fake
 * Ollama API 0.12 servers of {@link ToolEnginesResource}.
 */
@QuarkusTest
@WithTestResource(ToolEnginesResource.class)
class OpenAiToolsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String VLLM = ToolEnginesResource.VLLM_MODEL;
    static final String SGLANG = ToolEnginesResource.SGLANG_MODEL;
    static final String OLLAMA = "ollama/" + ToolEnginesResource.OLLAMA_MODEL;

    @TestHTTPResource("/")
    URL base;

    OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder().baseUrl(base + "v1").apiKey("not-needed").maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    static FunctionDefinition weather() {
        return FunctionDefinition.builder().name("get_weather").description("Current weather in a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                "city", Map.of("type", "string"),
                                "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city", "unit")))
                        .build())
                .build();
    }

    static FunctionDefinition time() {
        return FunctionDefinition.builder().name("get_time").description("Local time in a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build();
    }

    static ChatCompletionCreateParams.Builder ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("What is the weather in Paris?")
                .addFunctionTool(weather()).addFunctionTool(time()).maxCompletionTokens(64);
    }

    static JsonNode parse(String json) throws Exception {
        return JSON.readTree(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {VLLM, SGLANG, OLLAMA})
    void should_return_the_call_the_engine_made_in_openai_shape(String model) throws Exception {
        ChatCompletion completion = client.chat().completions().create(ask(model).build());

        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).isEmpty();
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.id()).isNotBlank();
        assertThat(call.function().name()).isEqualTo("get_weather");
        JsonNode arguments = parse(call.function().arguments());
        assertThat(arguments.path("city").isTextual()).isTrue();
        assertThat(arguments.path("unit").asText()).isIn("celsius", "fahrenheit");
    }

    @Test
    void should_pass_tools_and_tool_choice_to_vllm_as_declared() throws Exception {
        client.chat().completions().create(ask(VLLM).build());

        JsonNode sent = ToolEnginesResource.vllm.lastRequest("/v1/chat/completions");
        assertThat(sent.path("tool_choice").asText()).isEqualTo("auto");
        assertThat(sent.path("tools")).hasSize(2);
        JsonNode first = sent.path("tools").get(0);
        assertThat(first.path("type").asText()).isEqualTo("function");
        assertThat(first.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(first.path("function").path("description").asText()).isEqualTo("Current weather in a city");
        assertThat(first.path("function").path("parameters")).isEqualTo(parse("""
                {"type":"object","properties":{"city":{"type":"string"},
                 "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"]}"""));
    }

    @Test
    void should_pass_tools_to_ollama_api_chat_in_its_own_request() {
        client.chat().completions().create(ask(OLLAMA).build());

        JsonNode sent = ToolEnginesResource.ollama.lastRequest("/api/chat");
        assertThat(sent.path("tools")).hasSize(2);
        assertThat(sent.path("tools").get(1).path("function").path("name").asText()).isEqualTo("get_time");
    }

    @Test
    void should_force_the_named_function_on_vllm() throws Exception {
        ChatCompletion completion = client.chat().completions().create(ask(VLLM)
                .toolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder().name("get_time").build()).build())
                .build());

        assertThat(completion.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction().function().name())
                .isEqualTo("get_time");
        assertThat(ToolEnginesResource.vllm.lastRequest("/v1/chat/completions").path("tool_choice"))
                .isEqualTo(parse("{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {VLLM, SGLANG, OLLAMA})
    void should_stream_the_call_as_chunks_a_client_can_assemble(String model) throws Exception {
        Map<Long, String> ids = new LinkedHashMap<>();
        Map<Long, String> names = new LinkedHashMap<>();
        Map<Long, StringBuilder> arguments = new LinkedHashMap<>();
        List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask(model).build())) {
            stream.stream().flatMap(c -> c.choices().stream()).forEach(choice -> {
                choice.finishReason().ifPresent(finishes::add);
                for (ChatCompletionChunk.Choice.Delta.ToolCall part : choice.delta().toolCalls().orElse(List.of())) {
                    part.id().ifPresent(id -> ids.put(part.index(), id));
                    part.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::name)
                            .ifPresent(name -> names.put(part.index(), name));
                    part.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments)
                            .ifPresent(a -> arguments.computeIfAbsent(part.index(), k -> new StringBuilder()).append(a));
                }
            });
        }

        assertThat(finishes).containsExactly(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
        assertThat(names).containsExactly(Map.entry(0L, "get_weather"));
        assertThat(ids.get(0L)).isNotBlank();
        assertThat(parse(arguments.get(0L).toString()).path("city").isTextual()).isTrue();
    }

    @Test
    void should_send_the_tool_result_back_and_get_the_answer() {
        ChatCompletionCreateParams first = ask(VLLM).build();
        ChatCompletion called = client.chat().completions().create(first);
        ChatCompletionMessageFunctionToolCall call = called.choices().get(0).message().toolCalls().orElseThrow().get(0)
                .asFunction();

        ChatCompletion answer = client.chat().completions().create(first.toBuilder()
                .addMessage(called.choices().get(0).message().toParam())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
                        .content("{\"temperature\": 21, \"sky\": \"clear\"}").build())
                .build());

        assertThat(answer.choices().get(0).finishReason()).isNotEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(answer.choices().get(0).message().content().orElse("")).isNotBlank();
        JsonNode sent = ToolEnginesResource.vllm.lastRequest("/v1/chat/completions").path("messages");
        assertThat(sent).hasSize(3);
        assertThat(sent.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(sent.get(1).path("tool_calls").get(0).path("id").asText()).isEqualTo(call.id());
        assertThat(sent.get(1).path("tool_calls").get(0).path("function").path("arguments").asText())
                .isEqualTo(call.function().arguments());
        assertThat(sent.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(sent.get(2).path("tool_call_id").asText()).isEqualTo(call.id());
        assertThat(sent.get(2).path("content").asText()).contains("clear");
    }

    @Test
    void should_call_tools_through_langchain4j_openai_chat_model() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(base + "v1").apiKey("not-needed")
                .modelName(VLLM).maxRetries(0).timeout(Duration.ofSeconds(30)).build();
        ToolSpecification spec = ToolSpecification.builder().name("get_weather").description("Current weather")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();

        ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("Weather in Oslo?"))
                .toolSpecifications(spec).build());

        ToolExecutionRequest request = response.aiMessage().toolExecutionRequests().get(0);
        assertThat(request.name()).isEqualTo("get_weather");
        assertThat(request.id()).isNotBlank();
        assertThat(request.arguments()).contains("\"city\"");
    }

    @Test
    void should_run_without_the_tools_when_tool_choice_is_none() {
        ChatCompletion completion = client.chat().completions().create(ask(VLLM)
                .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE).build());

        assertThat(completion.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(ToolEnginesResource.vllm.lastRequest("/v1/chat/completions").has("tools")).isFalse();
    }

    @Test
    void should_relay_an_ollama_model_without_the_tools_capability_as_a_400() {
        assertThatThrownBy(() -> client.chat().completions().create(
                ask("ollama/" + ToolEnginesResource.OLLAMA_NO_TOOLS).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e ->
                        assertThat(e.getMessage()).contains("does not support tools"));
    }

    @Test
    void should_refuse_a_forced_function_on_ollama_which_cannot_force_one() {
        given().contentType("application/json").body("""
                {"model":"%s","messages":[{"role":"user","content":"hi"}],"tool_choice":"required",
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}"""
                        .formatted(OLLAMA))
                .post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.param", equalTo("tool_choice"))
                .body("error.message", containsString("auto"));
    }

    @Test
    void should_refuse_malformed_tools_naming_the_field() {
        String[][] cases = {
                {"\"tools\":{\"type\":\"function\"}", "tools", "list"},
                {"\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"has space\"}}]", "tools", "letters"},
                {"\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}},"
                        + "{\"type\":\"function\",\"function\":{\"name\":\"a\"}}]", "tools", "twice"},
                {"\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\",\"parameters\":{\"type\":\"array\"}}}]",
                        "tools", "object"},
                {"\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}],"
                        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"b\"}}", "tool_choice", "'b'"},
                {"\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}],\"tool_choice\":\"always\"",
                        "tool_choice", "required"},
                {"\"tools\":[{\"type\":\"retrieval\"}]", "tools", "function"},
        };
        for (String[] c : cases) {
            given().contentType("application/json")
                    .body("{\"model\":\"" + VLLM + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + c[0] + "}")
                    .post("/v1/chat/completions")
                    .then().statusCode(400)
                    .body("error.param", equalTo(c[1]))
                    .body("error.message", containsString(c[2]));
        }
    }
}

package io.infercore.api;

import io.infercore.api.openai.ToolEnginesResource;
import io.infercore.support.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Function calling on the native {@code /api/v1/llm/chat}: the same tools fields as {@code /v1}
 * (one internal path), calls in {@code data.tool_calls} and in a {@code tool_calls} SSE event.
 * Engines: the fake vLLM 0.11, SGLang 0.5 and Ollama API 0.12 servers of {@link ToolEnginesResource}.
 */
@QuarkusTest
@WithTestResource(ToolEnginesResource.class)
class ChatToolsTest {

    static final String TOOLS = """
            [{"type":"function","function":{"name":"get_weather","description":"Weather in a city",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";

    static String body(String engine, String model, String extra) {
        return """
                {"engine_type":"%s","model_name":"%s","max_tokens":32,
                 "messages":[{"role":"user","content":"Weather in Rome?"}],"tools":%s%s}"""
                .formatted(engine, model, TOOLS, extra);
    }

    @ParameterizedTest
    @CsvSource({"vllm," + ToolEnginesResource.VLLM_MODEL, "sglang," + ToolEnginesResource.SGLANG_MODEL,
            "ollama," + ToolEnginesResource.OLLAMA_MODEL})
    void should_answer_with_the_calls_in_the_envelope(String engine, String model) {
        JsonPath reply = given().contentType("application/json").body(body(engine, model, ""))
                .post("/api/v1/llm/chat")
                .then().statusCode(200)
                .body("code", equalTo(200))
                .body("data.finish_reason", equalTo("tool_calls"))
                .body("data.tool_calls[0].id", notNullValue())
                .body("data.tool_calls[0].type", equalTo("function"))
                .body("data.tool_calls[0].function.name", equalTo("get_weather"))
                .body("data.message.tool_calls[0].function.name", equalTo("get_weather"))
                .body("data.tool_calls[0].function.arguments", matchesPattern("\\{\"city\": ?\".*\"\\}"))
                .extract().jsonPath();
        assertThat(reply.getString("data.text")).isEmpty();
    }

    @Test
    void should_stream_a_tool_calls_event_before_done() {
        String stream = given().contentType("application/json")
                .body(body("vllm", ToolEnginesResource.VLLM_MODEL, ",\"stream\":true"))
                .post("/api/v1/llm/chat")
                .then().statusCode(200).extract().asString();

        List<Sse.Event> events = Sse.parse(stream);
        assertThat(events).extracting(Sse.Event::name).containsExactly("tool_calls", "done");
        assertThat(events.get(0).data()).contains("\"name\":\"get_weather\"").contains("\"id\":\"chatcmpl-tool-");
        assertThat(events.get(1).data()).contains("\"finish_reason\":\"tool_calls\"");
    }

    @Test
    void should_take_the_tool_result_on_the_next_turn() {
        given().contentType("application/json").body("""
                {"engine_type":"vllm","model_name":"%s","max_tokens":8,"tools":%s,"messages":[
                 {"role":"user","content":"Weather in Rome?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"sunny"}]}"""
                        .formatted(ToolEnginesResource.VLLM_MODEL, TOOLS))
                .post("/api/v1/llm/chat")
                .then().statusCode(200)
                .body("data.finish_reason", equalTo("length"))
                .body("data.text", matchesPattern(".+"));

        var sent = ToolEnginesResource.vllm.lastRequest("/v1/chat/completions").path("messages");
        assertThat(sent.get(1).path("tool_calls").get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(sent.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(sent.get(2).path("tool_call_id").asText()).isEqualTo("call_1");
    }
}

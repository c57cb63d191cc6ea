package io.infercore.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.inference.JsonSchemas;
import io.infercore.support.Sse;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Function calling on the embedded engine (stories260K): with {@code required} or a named
 * function, the grammar built from the tool schemas makes every reply well-formed calls whose
 * arguments validate against their function's parameters, at any temperature; {@code none}
 * answers text; streaming hands the calls over as OpenAI {@code tool_calls} deltas.
 */
@QuarkusTest
class EmbeddedToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String WEATHER_PARAMS = """
            {"type":"object","properties":{"city":{"type":"string","maxLength":12},
             "unit":{"enum":["celsius","fahrenheit"]},"days":{"type":"integer","minimum":1,"maximum":7}},
             "required":["city","unit"],"additionalProperties":false}""";
    static final String TIME_PARAMS = """
            {"type":"object","properties":{"zone":{"type":"string","pattern":"^[A-Z][a-z]{2,8}/[A-Z][a-z]{2,8}$"}},
             "required":["zone"],"additionalProperties":false}""";
    static final String TOOLS = """
            [{"type":"function","function":{"name":"get_weather","description":"Weather in a city","parameters":%s}},
             {"type":"function","function":{"name":"get_time","description":"Time in a zone","parameters":%s}}]"""
            .formatted(WEATHER_PARAMS, TIME_PARAMS);

    static String chat(String toolChoice, double temperature, long seed, String extra) {
        return """
                {"model":"stories260k","max_tokens":300,"temperature":%s,"seed":%d,
                 "messages":[{"role":"user","content":"Weather in Rome?"}],"tools":%s,"tool_choice":%s%s}"""
                .formatted(temperature, seed, TOOLS, toolChoice, extra);
    }

    private static void assertValidCall(String name, String arguments) throws Exception {
        String params = name.equals("get_weather") ? WEATHER_PARAMS : TIME_PARAMS;
        JsonSchemas.Verdict verdict = JsonSchemas.check(JsonSchemas.normalize(JSON.readTree(params)), arguments);
        assertThat(verdict.valid()).as(name + " " + arguments + " " + verdict.errors()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void should_always_answer_required_with_well_formed_calls(long seed) throws Exception {
        for (double temperature : new double[] {0, 1}) {
            JsonPath reply = given().contentType("application/json").body(chat("\"required\"", temperature, seed, ""))
                    .post("/v1/chat/completions").then().log().ifValidationFails().statusCode(200).extract().jsonPath();
            assertThat(reply.getString("choices[0].finish_reason")).as(reply.prettify()).isEqualTo("tool_calls");
            List<String> names = reply.getList("choices[0].message.tool_calls.function.name", String.class);
            List<String> arguments = reply.getList("choices[0].message.tool_calls.function.arguments", String.class);
            assertThat(names).isNotEmpty();
            for (int i = 0; i < names.size(); i++) {
                assertThat(names.get(i)).isIn("get_weather", "get_time");
                assertValidCall(names.get(i), arguments.get(i));
            }
            assertThat(reply.getString("choices[0].message.tool_calls[0].id")).startsWith("call_");
        }
    }

    @Test
    void should_call_exactly_the_named_function() throws Exception {
        JsonPath reply = given().contentType("application/json")
                .body(chat("{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}", 1, 9, ""))
                .post("/v1/chat/completions").then().log().ifValidationFails().statusCode(200).extract().jsonPath();
        assertThat(reply.getList("choices[0].message.tool_calls.function.name")).containsExactly("get_time");
        assertValidCall("get_time", reply.getString("choices[0].message.tool_calls[0].function.arguments"));
    }

    @Test
    void should_make_one_call_when_parallel_tool_calls_is_false() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            JsonPath reply = given().contentType("application/json")
                    .body(chat("\"required\"", 1, seed, ",\"parallel_tool_calls\":false"))
                    .post("/v1/chat/completions").then().statusCode(200).extract().jsonPath();
            assertThat(reply.getList("choices[0].message.tool_calls")).as(reply.prettify()).hasSize(1);
            assertValidCall(reply.getString("choices[0].message.tool_calls[0].function.name"),
                    reply.getString("choices[0].message.tool_calls[0].function.arguments"));
        }
    }

    @Test
    void should_answer_text_with_tool_choice_none() {
        JsonPath reply = given().contentType("application/json").body(chat("\"none\"", 0, 1, ""))
                .post("/v1/chat/completions").then().log().ifValidationFails().statusCode(200).extract().jsonPath();
        assertThat(reply.getString("choices[0].message.content")).isNotBlank();
        assertThat(reply.getList("choices[0].message.tool_calls")).isNull();
    }

    @Test
    void should_answer_auto_with_text_or_well_formed_calls() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            JsonPath reply = given().contentType("application/json").body(chat("\"auto\"", 1, seed, ""))
                    .post("/v1/chat/completions").then().log().ifValidationFails().statusCode(200).extract().jsonPath();
            if ("tool_calls".equals(reply.getString("choices[0].finish_reason"))) {
                assertValidCall(reply.getString("choices[0].message.tool_calls[0].function.name"),
                        reply.getString("choices[0].message.tool_calls[0].function.arguments"));
            } else {
                assertThat(reply.getString("choices[0].message.content")).doesNotStartWith("[");
            }
        }
    }

    @Test
    void should_stream_the_calls_as_tool_calls_deltas() throws Exception {
        String stream = given().contentType("application/json").body(chat("\"required\"", 0, 1, ",\"stream\":true"))
                .post("/v1/chat/completions").then().log().ifValidationFails().statusCode(200).extract().asString();
        List<JsonNode> chunks = Sse.parse(stream).stream().map(Sse.Event::data).filter(d -> d.startsWith("{"))
                .map(d -> {
                    try {
                        return JSON.readTree(d);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
        JsonNode call = chunks.stream().map(c -> c.path("choices").path(0).path("delta").path("tool_calls").path(0))
                .filter(n -> !n.isMissingNode()).findFirst().orElseThrow();
        assertThat(call.path("function").path("name").asText()).isIn("get_weather", "get_time");
        assertValidCall(call.path("function").path("name").asText(), call.path("function").path("arguments").asText());
        assertThat(chunks).anyMatch(c -> "tool_calls".equals(c.path("choices").path(0).path("finish_reason").asText()));
        assertThat(chunks).noneMatch(c -> c.path("choices").path(0).path("delta").path("content").asText().contains("["));
    }

    @Test
    void should_answer_in_the_envelope_and_take_the_result_back() throws Exception {
        JsonPath reply = given().contentType("application/json").body("""
                {"max_tokens":300,"temperature":0,"messages":[{"role":"user","content":"Weather in Rome?"}],
                 "tools":%s,"tool_choice":"required"}""".formatted(TOOLS))
                .post("/api/v1/llm/chat").then().statusCode(200).extract().jsonPath();
        assertThat(reply.getString("data.finish_reason")).isEqualTo("tool_calls");
        String name = reply.getString("data.tool_calls[0].function.name");
        assertValidCall(name, reply.getString("data.tool_calls[0].function.arguments"));
        given().contentType("application/json").body("""
                {"max_tokens":8,"tools":%s,"messages":[
                 {"role":"user","content":"Weather in Rome?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\",\\"unit\\":\\"celsius\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"sunny"}],"tool_choice":"none"}""".formatted(TOOLS))
                .post("/api/v1/llm/chat").then().statusCode(200);
    }
}

package io.infercore.api.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.api.openai.ToolEnginesResource;
import io.infercore.support.CliProcess;
import io.infercore.support.ClientScripts;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Function calling on Ollama's {@code /api/chat}: tools reach the engine, calls come back in
 * Ollama's shape ({@code message.tool_calls[].function.arguments} an object), whole and streamed,
 * and a tool result gets an answer. Engines: the fake vLLM 0.11 (tool-calling flags) and fake
 * Ollama API 0.12 of {@link ToolEnginesResource}; client: RestAssured and the official
 * {@code ollama} Python library.
 */
@QuarkusTest
@WithTestResource(ToolEnginesResource.class)
class OllamaToolsTest {

    static final String VLLM = "vllm/" + ToolEnginesResource.VLLM_MODEL;
    static final String OLLAMA = "ollama/" + ToolEnginesResource.OLLAMA_MODEL;
    static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]";

    @TestHTTPResource("/")
    URL base;

    static String ask(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],"
                + "\"tools\":" + TOOLS + extra + "}";
    }

    @ParameterizedTest
    @ValueSource(strings = {VLLM, OLLAMA})
    void should_return_calls_in_ollamas_shape_whole_and_streamed(String model) throws Exception {
        given().contentType(ContentType.JSON).body(ask(model, ",\"stream\":false")).when().post("/api/chat").then()
                .statusCode(200).body("done", equalTo(true)).body("done_reason", equalTo("stop"))
                .body("message.tool_calls[0].function.name", equalTo("get_weather"))
                .body("message.tool_calls[0].function.arguments.city", org.hamcrest.Matchers.instanceOf(String.class));

        String stream = given().contentType(ContentType.JSON).body(ask(model, "")).when().post("/api/chat").then()
                .statusCode(200).extract().asString();
        JsonNode callLine = null;
        for (String line : stream.split("\n")) {
            JsonNode parsed = new ObjectMapper().readTree(line);
            if (parsed.path("message").has("tool_calls")) {
                callLine = parsed;
            }
        }
        assertThat(callLine).as(stream).isNotNull();
        assertThat(callLine.path("message").path("tool_calls").get(0).path("function").path("arguments").isObject()).isTrue();
    }

    @Test
    void should_refuse_tools_on_a_model_without_them_in_ollamas_error_shape() {
        given().contentType(ContentType.JSON).body(ask("ollama/" + ToolEnginesResource.OLLAMA_NO_TOOLS, ",\"stream\":false"))
                .when().post("/api/chat").then().statusCode(400).body("error", containsString("tools"));
    }

    @Test
    void should_serve_function_calling_to_the_official_ollama_python_client() throws Exception {
        String host = base.toString().replaceAll("/$", "");
        CliProcess.Result run = ClientScripts.run("ollama_tools.py", host, VLLM, OLLAMA);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode facts = new ObjectMapper().readTree(ClientScripts.lastLine(run));
        assertThat(facts.path(VLLM).path("arguments").path("city").isTextual()).isTrue();
        assertThat(facts.path(OLLAMA).path("answer").asText()).isNotBlank();
    }
}

package io.infercore.api;

import io.infercore.inference.EmbeddingInputs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Collections;
import java.util.stream.Stream;

import static io.infercore.api.ValidationTableTest.assertEnvelope;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every refusal of {@code POST /api/v1/llm/embed}, one row each: the status, a fragment the
 * message must contain (it names the field or the fix), and the envelope, never a stack trace.
 * None of these rows reaches the embedding model.
 */
@QuarkusTest
class EmbedValidationTest {

    private static final String E = "/api/v1/llm/embed";

    static Stream<Arguments> rows() {
        String longText = "a".repeat(EmbeddingInputs.MAX_INPUT_CHARS + 1);
        String tooMany = "[" + String.join(",", Collections.nCopies(EmbeddingInputs.MAX_INPUTS + 1, "\"x\"")) + "]";
        String tooMuch = "[" + String.join(",", Collections.nCopies(40, "\"" + "b".repeat(8000) + "\"")) + "]";
        return Stream.of(
                arguments(E, "{}", 400, "input is required"),
                arguments(E, "{\"input\":null}", 400, "input is required"),
                arguments(E, "{\"input\":[]}", 400, "input is required"),
                arguments(E, "{\"input\":\"\"}", 400, "input[0] must be a non-empty string"),
                arguments(E, "{\"input\":\"   \"}", 400, "input[0] must be a non-empty string"),
                arguments(E, "{\"input\":[\"ok\",\"\"]}", 400, "input[1] must be a non-empty string"),
                arguments(E, "{\"input\":[\"ok\",null]}", 400, "input[1] must be a non-empty string"),
                arguments(E, "{\"input\":5}", 400, "input"),
                arguments(E, "{\"input\":true}", 400, "input"),
                arguments(E, "{\"input\":{\"text\":\"hi\"}}", 400, "input"),
                arguments(E, "{\"input\":[1,2]}", 400, "input[0]"),
                arguments(E, "{\"input\":[[\"nested\"]]}", 400, "input[0]"),
                arguments(E, "{\"input\":" + tooMany + "}", 400, "at most 256"),
                arguments(E, "{\"input\":[\"ok\",\"" + longText + "\"]}", 400, "input[1] has 8193 characters"),
                arguments(E, "{\"input\":" + tooMuch + "}", 400, "characters in all"),
                arguments(E, "{\"input\":\"hi\",\"engine_type\":\"warp-drive\"}", 400, "engine_type"),
                arguments(E, "{\"input\":\"hi\",\"engine_type\":5}", 400, "engine_type"),
                arguments(E, "{\"input\":\"hi\",\"model_name\":\"stories260k\"}", 400, "GGUF generation model"),
                arguments(E, "{\"input\":\"hi\",\"engine_type\":\"llamacpp\",\"model_name\":\"stories260k\"}", 400,
                        "embedding model 'all-minilm-l6-v2'"),
                arguments(E, "{\"input\":\"hi\",\"engine_type\":\"llamacpp\",\"model_name\":\"no-such-embedder\"}", 404,
                        "no-such-embedder"),
                arguments(E, "{\"input\":\"hi\",\"model_name\":\"no-such-embedder\"}", 404, "all-minilm-l6-v2"),
                arguments(E, "{\"input\":\"hi\",\"run_id\":\"r-404\"}", 404, "run_id"),
                arguments(E, "{\"input\":\"hi\",\"surprise\":true}", 400, "surprise"),
                arguments(E, "{\"input\":", 400, "malformed JSON"),
                arguments(E, "[\"hi\"]", 400, "malformed JSON"),
                arguments(E, "", 400, "body"),
                arguments("/api/v1/llm/generate", "{\"prompt\":\"hi\",\"model_name\":\"all-minilm-l6-v2\"}", 400,
                        "is an embedding model"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {2} \"{3}\"") // bodies are left out: some are 300 KB
    @MethodSource("rows")
    void should_refuse_with_the_envelope(String path, String body, int status, String fragment) {
        Response response = given().contentType(ContentType.JSON).body(body).when().post(path);
        assertEnvelope(response, status, fragment);
    }

    @Test
    void should_refuse_a_body_that_is_not_json() {
        Response response = given().contentType(ContentType.TEXT).body("hello").when().post(E);
        assertEnvelope(response, 415, "application/json");
    }
}

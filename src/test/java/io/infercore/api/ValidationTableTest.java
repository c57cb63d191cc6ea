package io.infercore.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every validation rule of the native API, one row each: the status, a fragment the message
 * must contain (it names the field), and the envelope on every error, never a stack trace.
 */
@QuarkusTest
class ValidationTableTest {

    private static final String G = "/api/v1/llm/generate";
    private static final String C = "/api/v1/llm/chat";
    private static final String S = "/api/v1/llm/structured-generate";

    static Stream<Arguments> rows() {
        return Stream.of(
                arguments(G, "{\"prompt\":\"hi\",\"temperature\":-0.1}", 400, "temperature"),
                arguments(G, "{\"prompt\":\"hi\",\"temperature\":2.01}", 400, "temperature"),
                arguments(C, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":3}", 400, "temperature"),
                arguments(G, "{\"prompt\":\"hi\",\"max_tokens\":0}", 400, "max_tokens"),
                arguments(G, "{\"prompt\":\"hi\",\"max_tokens\":-5}", 400, "max_tokens"),
                arguments(G, "{\"prompt\":\"hi\",\"max_tokens\":1.5}", 400, "max_tokens"),
                arguments(G, "{\"prompt\":\"hi\",\"max_tokens\":\"10\"}", 400, "max_tokens"),
                arguments(G, "{\"prompt\":\"hi\",\"max_tokens\":100000}", 400, "context length"),
                arguments(G, "{\"prompt\":\"hi\",\"max_tokens\":99999999999999}", 400, "max_tokens"),
                arguments(G, "{\"prompt\":\"hi\",\"top_p\":0}", 400, "top_p"),
                arguments(G, "{\"prompt\":\"hi\",\"top_p\":1.5}", 400, "top_p"),
                arguments(G, "{\"prompt\":\"\"}", 400, "prompt"),
                arguments(G, "{\"prompt\":\"   \"}", 400, "prompt"),
                arguments(G, "{\"max_tokens\":5}", 400, "prompt"),
                arguments(G, "{\"prompt\":123}", 400, "prompt"),
                arguments(G, "{\"prompt\":\"hi\",\"stream\":\"yes\"}", 400, "stream"),
                arguments(G, "{\"prompt\":\"hi\",\"stop\":[\"\"]}", 400, "stop"),
                arguments(G, "{\"prompt\":\"hi\",\"engine_type\":\"warp-drive\"}", 400, "engine_type"),
                arguments(G, "{\"prompt\":\"hi\",\"surprise\":true}", 400, "surprise"),
                arguments(G, "{\"prompt\":\"hi\",\"engine_args\":{\"regex\":\"a+\"}}", 400, "engine_args.regex"),
                arguments(G, "{\"prompt\":\"hi\",\"thinking\":true}", 400, "thinking"),
                arguments(G, "{\"prompt\":\"hi\",\"engine_args\":{\"top_k\":\"many\"}}", 400, "engine_args.top_k"),
                arguments(G, "{\"prompt\":", 400, "malformed JSON"),
                arguments(G, "[1,2]", 400, "malformed JSON"),
                arguments(G, "", 400, "body"),
                arguments(C, "{\"messages\":[]}", 400, "messages"),
                arguments(C, "{}", 400, "messages"),
                arguments(C, "{\"messages\":\"hello\"}", 400, "messages"),
                arguments(C, "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", 400, "role"),
                arguments(C, "{\"messages\":[{\"role\":\"user\"}]}", 400, "content"),
                arguments(C, "{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}", 400, "messages"),
                arguments(C, "{\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", 400, "role 'tool'"),
                arguments(S, "{\"prompt\":\"hi\"}", 400, "schema"),
                arguments(S, "{\"prompt\":\"hi\",\"schema\":{\"city\":\"town\"}}", 400, "schema.city"),
                arguments(S, "{\"prompt\":\"hi\",\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":5}}}}", 400, "schema"),
                arguments(G, "{\"prompt\":\"hi\",\"model_name\":\"no-such-model\"}", 404, "no-such-model"),
                arguments(G, "{\"prompt\":\"hi\",\"run_id\":\"r-404\"}", 404, "run_id"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("rows")
    void should_refuse_with_the_envelope(String path, String body, int status, String fragment) {
        Response response = given().contentType(ContentType.JSON).body(body).when().post(path);
        assertEnvelope(response, status, fragment);
    }

    @ParameterizedTest(name = "{0} as text/plain -> 415")
    @MethodSource("paths")
    void should_refuse_a_body_that_is_not_json(String path) {
        Response response = given().contentType(ContentType.TEXT).body("hello").when().post(path);
        assertEnvelope(response, 415, "application/json");
    }

    static Stream<String> paths() {
        return Stream.of(G, C, S);
    }

    static void assertEnvelope(Response response, int status, String fragment) {
        String body = response.asString();
        assertThat(response.statusCode()).as(body).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(body).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("io.infercore.");
        String requestId = response.jsonPath().getString("request_id");
        assertThat(requestId).isNotBlank().isEqualTo(response.header(RequestIds.HEADER));
        assertThat(response.jsonPath().getInt("code")).isEqualTo(status);
        assertThat(response.jsonPath().getString("msg")).containsIgnoringCase(fragment);
        assertThat(response.jsonPath().<Object>get("data")).isNull();
    }
}

package io.infercore.api.anthropic;

import io.infercore.support.Sse;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code /v1/messages} in Anthropic's shapes against the embedded stories260K model: the reply is
 * the same text the native API generates, the stream is Anthropic's event sequence, and every
 * error is {@code {"type":"error","error":{type,message}}} with the right status.
 */
@QuarkusTest
class AnthropicMessagesTest {

    static final String CAT = "Tell me about a cat";

    static String body(String extra) {
        return "{\"model\":\"stories260k\",\"max_tokens\":12,\"temperature\":0,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + CAT + "\"}]" + extra + "}";
    }

    @Test
    void should_answer_a_message_with_the_native_apis_text_and_usage() {
        JsonPath reply = given().contentType(ContentType.JSON).header("anthropic-version", "2023-06-01")
                .body(body("")).when().post("/v1/messages")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("id", startsWith("msg_")).body("type", equalTo("message")).body("role", equalTo("assistant"))
                .body("model", equalTo("stories260k"))
                .body("content[0].type", equalTo("text"))
                .body("stop_reason", equalTo("max_tokens"))
                .body("usage.output_tokens", equalTo(12)).body("usage.input_tokens", greaterThan(0))
                .extract().jsonPath();
        assertThat(reply.getMap("").containsKey("stop_sequence")).isTrue();

        String nativeText = given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"" + CAT + "\"}],\"max_tokens\":12,\"temperature\":0}")
                .when().post("/api/v1/llm/chat").then().statusCode(200).extract().path("data.text");
        assertThat(reply.getString("content[0].text")).isEqualTo(nativeText);
        // engine/model addresses the engine directly, as on /v1/chat/completions
        given().contentType(ContentType.JSON).body(body("").replace("\"stories260k\"", "\"llamacpp/stories260k\""))
                .when().post("/v1/messages").then().statusCode(200).body("content[0].text", equalTo(nativeText));
        // and a run id addresses that run (the embedded default model runs as builtin-default)
        given().contentType(ContentType.JSON).body(body("").replace("\"stories260k\"", "\"builtin-default\""))
                .when().post("/v1/messages").then().statusCode(200).body("content[0].text", equalTo(nativeText));
    }

    @Test
    void should_take_system_as_a_string_or_blocks_alike() {
        String asString = given().contentType(ContentType.JSON)
                .body(body(",\"system\":\"Once upon a time\"")).when().post("/v1/messages")
                .then().statusCode(200).extract().path("content[0].text");
        String asBlocks = given().contentType(ContentType.JSON)
                .body(body(",\"system\":[{\"type\":\"text\",\"text\":\"Once upon a time\"}]")).when().post("/v1/messages")
                .then().statusCode(200).extract().path("content[0].text");
        assertThat(asBlocks).isEqualTo(asString);
    }

    @Test
    void should_stream_anthropics_event_sequence() {
        String plain = given().contentType(ContentType.JSON).body(body("")).when().post("/v1/messages")
                .then().statusCode(200).extract().path("content[0].text");
        String raw = given().contentType(ContentType.JSON).body(body(",\"stream\":true")).when().post("/v1/messages")
                .then().statusCode(200).contentType(containsString("text/event-stream")).extract().asString();
        List<Sse.Event> events = Sse.parse(raw);
        List<String> names = events.stream().map(Sse.Event::name).toList();

        assertThat(names.get(0)).isEqualTo("message_start");
        assertThat(names.get(1)).isEqualTo("content_block_start");
        assertThat(names.get(2)).isEqualTo("ping");
        assertThat(names.subList(names.size() - 3, names.size()))
                .containsExactly("content_block_stop", "message_delta", "message_stop");
        assertThat(names.subList(3, names.size() - 3)).containsOnly("content_block_delta");
        events.forEach(e -> assertThat(e.json().getString("type")).isEqualTo(e.name()));
        assertThat(events.get(0).json().getString("message.id")).startsWith("msg_");
        assertThat(events.get(1).json().getString("content_block.type")).isEqualTo("text");
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> "content_block_delta".equals(e.name())).forEach(e -> {
            assertThat(e.json().getString("delta.type")).isEqualTo("text_delta");
            assertThat(e.json().getInt("index")).isZero();
            text.append(e.json().getString("delta.text"));
        });
        assertThat(text.toString()).isEqualTo(plain);
        JsonPath delta = events.get(events.size() - 2).json();
        assertThat(delta.getString("delta.stop_reason")).isEqualTo("max_tokens");
        assertThat(delta.getInt("usage.output_tokens")).isEqualTo(12);
        assertThat(delta.getInt("usage.input_tokens")).isPositive();
    }

    @Test
    void should_count_the_prompts_tokens_as_generation_counts_them() {
        int generated = given().contentType(ContentType.JSON).body(body("")).when().post("/v1/messages")
                .then().statusCode(200).extract().path("usage.input_tokens");
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"stories260k\",\"messages\":[{\"role\":\"user\",\"content\":\"" + CAT + "\"}]}")
                .when().post("/v1/messages/count_tokens")
                .then().statusCode(200).body("input_tokens", equalTo(generated));
    }

    @Test
    void should_require_max_tokens_as_anthropic_does() {
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"stories260k\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/messages")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("type", equalTo("error"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("max_tokens"));
    }

    @Test
    void should_answer_errors_in_anthropics_shape_with_their_status() {
        given().contentType(ContentType.JSON).body(body("").replace("stories260k", "no-such-model"))
                .when().post("/v1/messages")
                .then().statusCode(404).body("type", equalTo("error")).body("error.type", equalTo("not_found_error"))
                .body("error.message", containsString("no-such-model"));
        given().contentType(ContentType.JSON).body(body(",\"temperature\":1.5").replace("\"temperature\":0,", ""))
                .when().post("/v1/messages")
                .then().statusCode(400).body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("temperature"));
        given().contentType(ContentType.JSON).body("{\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"http://x\"}}]}]}")
                .when().post("/v1/messages")
                .then().statusCode(400).body("error.message", containsString("image"));
        given().contentType(ContentType.JSON).body("{not json").when().post("/v1/messages")
                .then().statusCode(400).body("type", equalTo("error")).body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void should_answer_a_forced_tool_call_as_a_tool_use_block_on_the_embedded_engine() {
        // the embedded engine constrains a required call with a grammar built from the tool's schema
        given().contentType(ContentType.JSON).body(body(",\"tools\":[{\"name\":\"get_weather\",\"input_schema\":"
                        + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"maxLength\":12}},"
                        + "\"required\":[\"city\"]}}],\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_weather\"}")
                        .replace("\"max_tokens\":12", "\"max_tokens\":64"))
                .when().post("/v1/messages")
                .then().statusCode(200).body("stop_reason", equalTo("tool_use"))
                .body("content.find { it.type == 'tool_use' }.name", equalTo("get_weather"))
                .body("content.find { it.type == 'tool_use' }.input.city", org.hamcrest.Matchers.instanceOf(String.class));
    }
}

package io.infercore.api.responses;

import io.infercore.support.Sse;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code /v1/responses} in OpenAI's shapes against the embedded stories260K model: the response
 * object, the {@code response.*} event sequence, stored responses and {@code previous_response_id},
 * and errors in OpenAI's shape.
 */
@QuarkusTest
class ResponsesApiTest {

    static final String CAT = "Tell me about a cat";

    static String body(String extra) {
        return "{\"model\":\"stories260k\",\"max_output_tokens\":12,\"temperature\":0,\"input\":\"" + CAT + "\"" + extra + "}";
    }

    static JsonPath create(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/responses")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }

    @Test
    void should_answer_a_response_object_with_the_native_apis_text() {
        JsonPath r = create(body(""));
        assertThat(r.getString("id")).startsWith("resp_");
        assertThat(r.getString("object")).isEqualTo("response");
        assertThat(r.getString("model")).isEqualTo("stories260k");
        assertThat(r.getString("status")).isEqualTo("incomplete");
        assertThat(r.getString("incomplete_details.reason")).isEqualTo("max_output_tokens");
        assertThat(r.getString("output[0].type")).isEqualTo("message");
        assertThat(r.getString("output[0].role")).isEqualTo("assistant");
        assertThat(r.getString("output[0].content[0].type")).isEqualTo("output_text");
        assertThat(r.getInt("usage.output_tokens")).isEqualTo(12);
        assertThat(r.getInt("usage.total_tokens")).isEqualTo(r.getInt("usage.input_tokens") + 12);

        String nativeText = given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"" + CAT + "\"}],\"max_tokens\":12,\"temperature\":0}")
                .when().post("/api/v1/llm/chat").then().statusCode(200).extract().path("data.text");
        assertThat(r.getString("output[0].content[0].text")).isEqualTo(nativeText);
        // the same conversation as items
        JsonPath items = create("{\"model\":\"stories260k\",\"max_output_tokens\":12,\"temperature\":0,\"input\":"
                + "[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"" + CAT + "\"}]}]}");
        assertThat(items.getString("output[0].content[0].text")).isEqualTo(nativeText);
        // engine/model addresses the engine directly, as on /v1/chat/completions
        assertThat(create(body(",\"store\":false").replace("\"stories260k\"", "\"llamacpp/stories260k\""))
                .getString("output[0].content[0].text")).isEqualTo(nativeText);
        // and a run id addresses that run (the embedded default model runs as builtin-default)
        assertThat(create(body(",\"store\":false").replace("\"stories260k\"", "\"builtin-default\""))
                .getString("output[0].content[0].text")).isEqualTo(nativeText);
    }

    @Test
    void should_stream_the_response_event_sequence_with_sequence_numbers() {
        String plain = create(body("")).getString("output[0].content[0].text");
        String raw = given().contentType(ContentType.JSON).body(body(",\"stream\":true")).when().post("/v1/responses")
                .then().statusCode(200).contentType(containsString("text/event-stream")).extract().asString();
        List<Sse.Event> events = Sse.parse(raw);
        List<String> names = events.stream().map(Sse.Event::name).toList();

        assertThat(names.subList(0, 4)).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added");
        assertThat(names.subList(names.size() - 4, names.size())).containsExactly("response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.incomplete");
        assertThat(names.subList(4, names.size() - 4)).containsOnly("response.output_text.delta");
        IntStream.range(0, events.size()).forEach(i -> {
            assertThat(events.get(i).json().getInt("sequence_number")).isEqualTo(i);
            assertThat(events.get(i).json().getString("type")).isEqualTo(events.get(i).name());
        });
        assertThat(events.get(0).json().getString("response.status")).isEqualTo("in_progress");
        StringBuilder text = new StringBuilder();
        events.stream().filter(e -> "response.output_text.delta".equals(e.name()))
                .forEach(e -> text.append(e.json().getString("delta")));
        assertThat(text.toString()).isEqualTo(plain);
        assertThat(events.get(names.size() - 4).json().getString("text")).isEqualTo(plain);
        JsonPath last = events.get(events.size() - 1).json();
        assertThat(last.getString("response.output[0].content[0].text")).isEqualTo(plain);
        assertThat(last.getInt("response.usage.output_tokens")).isEqualTo(12);

        // a streamed response is stored too
        String id = last.getString("response.id");
        given().when().get("/v1/responses/" + id).then().statusCode(200)
                .body("output[0].content[0].text", equalTo(plain));
    }

    @Test
    void should_store_get_continue_and_delete_a_response() throws Exception {
        JsonPath first = create(body(",\"instructions\":\"Once upon a time\""));
        String id = first.getString("id");
        assertThat(Files.exists(Path.of("target/test-models/responses", id + ".json"))).isTrue();
        given().when().get("/v1/responses/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("instructions", equalTo("Once upon a time"))
                .body("output[0].content[0].text", equalTo(first.getString("output[0].content[0].text")));

        JsonPath next = create("{\"model\":\"stories260k\",\"max_output_tokens\":4,\"temperature\":0,"
                + "\"previous_response_id\":\"" + id + "\",\"input\":\"And then?\"}");
        assertThat(next.getString("previous_response_id")).isEqualTo(id);
        // the previous input and output come before the new input: the prompt is longer than the new input alone
        int alone = create("{\"model\":\"stories260k\",\"max_output_tokens\":4,\"temperature\":0,\"store\":false,"
                + "\"input\":\"And then?\"}").getInt("usage.input_tokens");
        assertThat(next.getInt("usage.input_tokens")).isGreaterThan(alone + first.getInt("usage.output_tokens"));

        // the follow-up's input items: its own input first (newest first), then the earlier turns
        String nextId = next.getString("id");
        JsonPath page = given().when().get("/v1/responses/" + nextId + "/input_items").then().statusCode(200)
                .extract().jsonPath();
        assertThat(page.getString("object")).isEqualTo("list");
        assertThat(page.getList("data.type")).containsExactly("message", "message", "message");
        assertThat(page.getList("data.role")).containsExactly("user", "assistant", "user");
        assertThat(page.getString("data[0].content[0].type")).isEqualTo("input_text");
        assertThat(page.getString("data[0].content[0].text")).isEqualTo("And then?");
        assertThat(page.getString("data[2].content[0].text")).isEqualTo(CAT);
        assertThat(page.getBoolean("has_more")).isFalse();
        JsonPath firstPage = given().queryParam("limit", 2).queryParam("order", "asc")
                .when().get("/v1/responses/" + nextId + "/input_items").then().statusCode(200).extract().jsonPath();
        assertThat(firstPage.getList("data.role")).containsExactly("user", "assistant");
        assertThat(firstPage.getBoolean("has_more")).isTrue();
        given().queryParam("limit", 2).queryParam("order", "asc").queryParam("after", firstPage.getString("last_id"))
                .when().get("/v1/responses/" + nextId + "/input_items").then().statusCode(200)
                .body("data.content[0].text[0]", equalTo("And then?")).body("has_more", equalTo(false));
        assertThat(given().when().get("/v1/responses/" + nextId + "/input_items").then().extract().jsonPath()
                .getList("data.id")).isEqualTo(page.getList("data.id"));

        given().when().delete("/v1/responses/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("object", equalTo("response")).body("deleted", equalTo(true));
        given().when().get("/v1/responses/" + id).then().statusCode(404)
                .body("error.type", equalTo("not_found_error")).body("error.message", containsString(id));
        given().when().delete("/v1/responses/" + id).then().statusCode(404);
        given().contentType(ContentType.JSON).body(body(",\"previous_response_id\":\"" + id + "\""))
                .when().post("/v1/responses")
                .then().statusCode(404).body("error.param", equalTo("previous_response_id"));
    }

    @Test
    void should_not_store_when_store_is_false() {
        String id = create(body(",\"store\":false")).getString("id");
        given().when().get("/v1/responses/" + id).then().statusCode(404);
        given().when().get("/v1/responses/../../etc/passwd").then().statusCode(404);
    }

    @Test
    void should_constrain_output_to_a_json_schema() {
        JsonPath r = create("{\"model\":\"stories260k\",\"max_output_tokens\":200,\"temperature\":0,\"input\":\"A cat\","
                + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"pet\",\"strict\":true,\"schema\":"
                + "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":8}},"
                + "\"required\":[\"name\"],\"additionalProperties\":false}}}}");
        assertThat(r.getString("text.format.type")).isEqualTo("json_schema");
        String text = r.getString("output[0].content[0].text");
        assertThat(JsonPath.from(text).getString("name")).isNotNull();
    }

    @Test
    void should_answer_errors_in_openais_shape() {
        given().contentType(ContentType.JSON).body(body("").replace("stories260k", "no-such-model"))
                .when().post("/v1/responses")
                .then().statusCode(404).body("error.type", equalTo("not_found_error")).body("error.param", equalTo("model"));
        given().contentType(ContentType.JSON).body("{\"model\":\"stories260k\"}").when().post("/v1/responses")
                .then().statusCode(400).body("error.param", equalTo("input"));
        given().contentType(ContentType.JSON).body(body(",\"max_output_tokens\":0").replace("\"max_output_tokens\":12,", ""))
                .when().post("/v1/responses")
                .then().statusCode(400).body("error.param", equalTo("max_output_tokens"));
        given().contentType(ContentType.JSON).body(body(",\"max_output_tokens\":100000").replace("\"max_output_tokens\":12,", ""))
                .when().post("/v1/responses")
                .then().statusCode(400).body("error.param", equalTo("max_output_tokens"))
                .body("error.message", containsString("context length"));
        given().contentType(ContentType.JSON).body(body(",\"tools\":[{\"type\":\"web_search\"}]"))
                .when().post("/v1/responses")
                .then().statusCode(400).body("error.param", equalTo("tools")).body("error.message", containsString("web_search"));
    }

    @Test
    void should_answer_a_forced_function_call_as_a_function_call_item_on_the_embedded_engine() {
        given().contentType(ContentType.JSON).body(body(",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\","
                        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"maxLength\":12}},"
                        + "\"required\":[\"city\"]}}],\"tool_choice\":{\"type\":\"function\",\"name\":\"get_weather\"}")
                        .replace("\"max_output_tokens\":12", "\"max_output_tokens\":64"))
                .when().post("/v1/responses")
                .then().statusCode(200)
                .body("output.find { it.type == 'function_call' }.name", equalTo("get_weather"))
                .body("output.find { it.type == 'function_call' }.arguments", containsString("city"));
    }
}

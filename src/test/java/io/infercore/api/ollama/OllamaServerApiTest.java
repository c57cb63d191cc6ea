package io.infercore.api.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.support.Scrape;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/**
 * Ollama's server API ({@code /api/version}, {@code tags}, {@code ps}, {@code show}, {@code chat},
 * {@code generate}, {@code embed}, {@code embeddings}) on the embedded stories260K model: Ollama's
 * shapes (NDJSON by default, a final {@code done:true} object with the metrics), its errors
 * ({@code {"error":"..."}}, 404 for an unknown model), and the same rules as the other routes.
 */
@QuarkusTest
class OllamaServerApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHAT = "{\"model\":\"stories260k\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about a cat\"}],"
            + "\"options\":{\"num_predict\":8,\"temperature\":0}";

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    static List<JsonNode> lines(Response response) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : response.asString().split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Test
    void should_answer_the_version_and_list_every_servable_model() {
        given().when().get("/api/version").then().statusCode(200).body("version", equalTo(OllamaResource.API_VERSION));
        given().when().get("/api/tags").then().statusCode(200)
                .body("models.name", hasItems("stories260k", "all-minilm-l6-v2"))
                .body("models.find { it.name == 'stories260k' }.model", equalTo("stories260k"))
                .body("models.find { it.name == 'stories260k' }.details.format", equalTo("gguf"))
                .body("models.find { it.name == 'stories260k' }.digest", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}"));
        given().when().get("/api/ps").then().statusCode(200).body("models.name", hasItems("stories260k"));
    }

    @Test
    void should_show_a_model_with_its_context_length_and_capabilities() {
        post("/api/show", "{\"model\":\"stories260k\"}").then().statusCode(200)
                .body("capabilities", equalTo(List.of("completion", "tools"))) // the embedded engine calls functions
                .body("model_info.'llamacpp.context_length'", equalTo(512))
                .body("details.family", equalTo("llamacpp"));
        post("/api/show", "{\"model\":\"all-minilm-l6-v2\"}").then().statusCode(200)
                .body("capabilities", equalTo(List.of("embedding")));
        post("/api/show", "{\"model\":\"no-such-model\"}").then().statusCode(404)
                .body("error", startsWith("model 'no-such-model' not found"));
    }

    @Test
    void should_stream_a_chat_as_ndjson_by_default_and_end_with_the_metrics() throws Exception {
        Response response = post("/api/chat", CHAT + "}");
        response.then().statusCode(200).contentType(startsWith("application/x-ndjson"));
        List<JsonNode> lines = lines(response);
        assertThat(lines.size()).isGreaterThan(2);
        StringBuilder text = new StringBuilder();
        for (JsonNode line : lines.subList(0, lines.size() - 1)) {
            assertThat(line.path("done").asBoolean()).isFalse();
            assertThat(line.path("model").asText()).isEqualTo("stories260k");
            assertThat(line.path("message").path("role").asText()).isEqualTo("assistant");
            text.append(line.path("message").path("content").asText());
        }
        assertThat(text.toString()).isNotBlank();
        JsonNode last = lines.get(lines.size() - 1);
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("done_reason").asText()).isEqualTo("length");
        assertThat(last.path("eval_count").asInt()).isEqualTo(8);
        assertThat(last.path("prompt_eval_count").asInt()).isPositive();
        assertThat(last.path("total_duration").asLong()).isGreaterThanOrEqualTo(last.path("eval_duration").asLong());
        assertThat(last.path("created_at").asText()).endsWith("Z");

        // the same request without streaming: one object holding the same text
        Response whole = post("/api/chat", CHAT + ",\"stream\":false}");
        whole.then().statusCode(200).contentType(startsWith("application/json"))
                .body("done", equalTo(true)).body("done_reason", equalTo("length")).body("eval_count", equalTo(8))
                .body("message.role", equalTo("assistant")).body("message.content", equalTo(text.toString()));
    }

    @Test
    void should_read_the_body_as_json_whatever_its_content_type_as_ollama_does() {
        // curl -d sends application/x-www-form-urlencoded; Ollama's own examples rely on it
        given().contentType("application/x-www-form-urlencoded").body(CHAT + ",\"stream\":false}")
                .header("Accept", "application/json").when().post("/api/chat").then().statusCode(200)
                .body("done", equalTo(true));
        given().body("{\"model\":\"stories260k\"}").when().post("/api/show").then().statusCode(200);
        // infercore's own API still wants JSON
        given().contentType("text/plain").body("{}").when().post("/api/v1/llm/chat").then().statusCode(415);
    }

    @Test
    void should_generate_streamed_and_whole() throws Exception {
        String body = "{\"model\":\"stories260k\",\"prompt\":\"Once upon a time\",\"options\":{\"num_predict\":6,"
                + "\"temperature\":0,\"seed\":7},\"keep_alive\":\"5m\"";
        List<JsonNode> lines = lines(post("/api/generate", body + "}"));
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l.path("response").asText()));
        JsonNode last = lines.get(lines.size() - 1);
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("eval_count").asInt()).isEqualTo(6);
        post("/api/generate", body + ",\"stream\":false}").then().statusCode(200)
                .body("response", equalTo(text.toString())).body("done", equalTo(true));
    }

    @Test
    void should_honour_stop_and_answer_a_load_request_without_generating() {
        post("/api/generate", "{\"model\":\"stories260k\",\"prompt\":\"Once upon a time\",\"stream\":false,"
                + "\"options\":{\"num_predict\":60,\"temperature\":0,\"stop\":[\".\"]}}").then().statusCode(200)
                .body("response", org.hamcrest.Matchers.not(containsString(".")))
                .body("done_reason", equalTo("stop"));
        post("/api/generate", "{\"model\":\"stories260k\"}").then().statusCode(200)
                .body("done", equalTo(true)).body("done_reason", equalTo("load"));
        post("/api/chat", "{\"model\":\"stories260k\",\"messages\":[],\"keep_alive\":0}").then().statusCode(200)
                .body("done_reason", equalTo("unload"));
        post("/api/generate", "{\"model\":\"nope\"}").then().statusCode(404).body("error", startsWith("model 'nope' not found"));
    }

    @Test
    void should_constrain_the_output_to_json_or_a_schema() throws Exception {
        String content = post("/api/chat", CHAT.replace("\"num_predict\":8", "\"num_predict\":24")
                + ",\"stream\":false,\"format\":\"json\"}").then().statusCode(200).extract().path("message.content");
        assertThat(content).startsWith("{");

        String schema = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":8},"
                + "\"happy\":{\"type\":\"boolean\"}},\"required\":[\"name\",\"happy\"]}";
        String answer = post("/api/generate", "{\"model\":\"stories260k\",\"prompt\":\"A cat\",\"stream\":false,"
                + "\"options\":{\"num_predict\":120,\"temperature\":0},\"format\":" + schema + "}")
                .then().statusCode(200).extract().path("response");
        JsonNode parsed = JSON.readTree(answer);
        assertThat(parsed.path("name").isTextual()).isTrue();
        assertThat(parsed.path("happy").isBoolean()).isTrue();
    }

    @Test
    void should_refuse_bad_requests_in_ollamas_error_shape() {
        post("/api/chat", "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").then()
                .statusCode(404).contentType(startsWith("application/json"))
                .body("error", startsWith("model 'nope' not found")).body("error", containsString("GET /api/tags"));
        post("/api/chat", "{\"model\":\"stories260k\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}")
                .then().statusCode(400).body("error", containsString("role 'wizard'"));
        post("/api/chat", CHAT + ",\"options\":{\"temperature\":\"hot\"}}").then().statusCode(400)
                .body("error", equalTo("options.temperature must be a number"));
        post("/api/chat", CHAT + ",\"format\":\"yaml\"}").then().statusCode(400).body("error", startsWith("format must be"));
        post("/api/generate", "{\"model\":\"stories260k\",\"prompt\":\"hi\",\"images\":[\"aGk=\"]}").then()
                .statusCode(400).body("error", containsString("images"));
        post("/api/chat", "{\"model\":").then().statusCode(400).body("error", startsWith("malformed JSON"));
        given().contentType(ContentType.JSON).when().post("/api/chat").then().statusCode(400)
                .body("error", equalTo("missing request body"));
        // infercore's own /api/v1 keeps its envelope
        post("/api/v1/llm/chat", "{\"model_name\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .then().statusCode(404).body("code", equalTo(404));
    }

    @Test
    void should_embed_with_the_embedded_model_in_both_forms() {
        post("/api/embed", "{\"model\":\"all-minilm-l6-v2\",\"input\":[\"a cat\",\"a dog\"]}").then().statusCode(200)
                .body("model", equalTo("all-minilm-l6-v2")).body("embeddings", hasSize(2))
                .body("embeddings[0]", hasSize(384)).body("prompt_eval_count", org.hamcrest.Matchers.greaterThan(0));
        List<Float> shortened = post("/api/embed", "{\"model\":\"all-minilm-l6-v2\",\"input\":\"a cat\",\"dimensions\":64}")
                .then().statusCode(200).body("embeddings[0]", hasSize(64)).extract().path("embeddings[0]");
        double norm = Math.sqrt(shortened.stream().mapToDouble(f -> f * f).sum());
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        post("/api/embeddings", "{\"model\":\"all-minilm-l6-v2\",\"prompt\":\"a cat\"}").then().statusCode(200)
                .body("embedding", hasSize(384));
        post("/api/embed", "{\"model\":\"stories260k\",\"input\":\"a cat\"}").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.notNullValue());
        post("/api/embed", "{\"model\":\"all-minilm-l6-v2\"}").then().statusCode(400).body("error", startsWith("input is required"));
    }

    @Test
    void should_count_ollama_requests_under_their_own_route() {
        double before = Scrape.now().sum("infercore_requests_total", "route", "/api/chat", "engine", "llamacpp",
                "model", "stories260k", "status", "200");
        post("/api/chat", CHAT + ",\"stream\":false}").then().statusCode(200);
        await().untilAsserted(() -> assertThat(Scrape.now().sum("infercore_requests_total", "route", "/api/chat",
                "engine", "llamacpp", "model", "stories260k", "status", "200")).isEqualTo(before + 1));
    }
}

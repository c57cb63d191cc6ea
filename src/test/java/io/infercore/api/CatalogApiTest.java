package io.infercore.api;

import io.infercore.support.TestModel;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * The catalog's search and filters, custom registrations (listed with the catalog, launchable,
 * never over a built-in), and requests refused for an ability the run's model lacks.
 */
@QuarkusTest
class CatalogApiTest {

    static final String MODELS = "/api/v1/models";
    static final String REGISTRATIONS = "/api/v1/models/registrations";
    static final String CUSTOM = "it-stories";

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    @BeforeEach
    @AfterEach
    void forgetCustomModels() {
        List<String> runs = given().when().get("/api/v1/models/running").jsonPath()
                .getList("data.findAll { it.model_id == '" + CUSTOM + "' && it.status != 'stopped' }.run_id");
        runs.forEach(id -> post("/api/v1/models/running/" + id + "/stop", ""));
        for (String id : List.of(CUSTOM, "it-remote")) {
            given().when().delete(REGISTRATIONS + "/" + id); // 404 when absent
        }
    }

    @Test
    void should_search_and_filter_the_catalog_by_text_ability_engine_and_type() {
        given().queryParam("q", "QWEN3").when().get(MODELS).then().statusCode(200)
                .body("data.id", hasItems("qwen3", "qwen3-coder", "qwen3-embedding"))
                .body("data.id", not(hasItem("llama3.1")));
        given().queryParam("q", "meta-llama/Llama-3.3").when().get(MODELS).then().statusCode(200)
                .body("data.id", is(List.of("llama3.3")))
                .body("data[0].context_length", is(131072))
                .body("data[0].license", is("llama3.3"))
                .body("data[0].gated", is(true))
                .body("data[0].parsers.sglang.tool_call", is("llama3"));
        given().queryParam("ability", "reasoning").queryParam("engine", "sglang").when().get(MODELS).then()
                .statusCode(200)
                .body("data.id", hasItems("qwen3", "gpt-oss", "deepseek-r1-distill-qwen"))
                .body("data.abilities", everyItem(hasItem("reasoning")))
                .body("data.engines", everyItem(hasItem("sglang")));
        given().queryParam("model_type", "rerank").when().get(MODELS).then().statusCode(200)
                .body("data.id", hasItems("bge-reranker-v2-m3", "bge-reranker-large"))
                .body("data.model_type", everyItem(is("rerank")));
        given().queryParam("q", "no-model-has-this-text").when().get(MODELS).then().statusCode(200)
                .body("data", is(List.of()));
        given().queryParam("ability", "telepathy").when().get(MODELS).then().statusCode(400)
                .body("msg", containsString("ability must be one of [chat, embedding, generate, reasoning, rerank, "
                        + "tools, vision], not 'telepathy'"));
        given().queryParam("engine", "tgi").when().get(MODELS).then().statusCode(400)
                .body("msg", containsString("engine must be one of [llamacpp, ollama, sglang, vllm], not 'tgi'"));
    }

    @Test
    void should_register_list_and_delete_a_custom_model_and_refuse_a_builtin_id() {
        String body = "{\"id\":\"it-remote\",\"name\":\"My fine-tune\",\"abilities\":[\"chat\",\"tools\"],"
                + "\"context_length\":8192,\"license\":\"apache-2.0\","
                + "\"sizes\":[{\"size\":\"7B\",\"hf_repo\":\"my-org/my-finetune\",\"ollama_name\":\"my-finetune:7b\"}]}";
        post(REGISTRATIONS, body).then().statusCode(200)
                .body("data.id", is("it-remote")).body("data.registered", is(true))
                .body("data.engines", is(List.of("vllm", "sglang", "ollama")))
                .body("data.formats", is(List.of("gguf", "safetensors")));
        given().when().get(REGISTRATIONS).then().statusCode(200).body("data.id", is(List.of("it-remote")));
        given().queryParam("q", "MY-FINETUNE").when().get(MODELS).then().statusCode(200)
                .body("data.id", is(List.of("it-remote")));
        given().when().get(MODELS).then().body("data.find { it.id == 'qwen3' }.registered", is(false));
        post(REGISTRATIONS, body).then().statusCode(409).body("msg", containsString("already registered"));
        post(REGISTRATIONS, body.replace("it-remote", "Qwen3")).then().statusCode(409)
                .body("msg", containsString("'Qwen3' is a built-in catalog model and cannot be overwritten"));
        post(REGISTRATIONS, "{\"id\":\"x\",\"sizes\":[{\"size\":\"1B\",\"hf_repo\":\"--evil\"}]}").then().statusCode(400)
                .body("msg", containsString("registration: $.sizes[0].hf_repo: must be a Hugging Face repo id"));
        post(REGISTRATIONS, "{\"id\":\"x\",\"sizes\":[{\"size\":\"1B\",\"gguf\":{\"url\":\"https://h.example/m.gguf\"}}]}")
                .then().statusCode(400).body("msg", containsString("$.sizes[0].gguf.sha256: is required"));
        post(REGISTRATIONS, "[]").then().statusCode(400);
        given().when().delete(REGISTRATIONS + "/qwen3").then().statusCode(409);
        given().when().delete(REGISTRATIONS + "/it-remote").then().statusCode(200).body("data.id", is("it-remote"));
        given().when().delete(REGISTRATIONS + "/it-remote").then().statusCode(404);
        given().when().get(REGISTRATIONS).then().statusCode(200).body("data", is(List.of()));
    }

    @Test
    void should_launch_a_registered_local_gguf_and_refuse_requests_its_abilities_do_not_cover() {
        String path = TestModel.path().toAbsolutePath().toString();
        post(REGISTRATIONS, "{\"id\":\"" + CUSTOM + "\",\"abilities\":[\"generate\"],"
                + "\"sizes\":[{\"size\":\"260K\",\"local_path\":\"" + path + "\"}]}")
                .then().statusCode(200).body("data.engines", is(List.of("llamacpp")));
        post("/api/v1/models/start", "{\"model_id\":\"" + CUSTOM + "\",\"engine_type\":\"vllm\"}").then().statusCode(400)
                .body("msg", containsString("runs on [llamacpp], not on vllm"));
        String runId = post("/api/v1/models/start?wait=true", "{\"model_id\":\"" + CUSTOM + "\",\"engine_type\":\"llamacpp\"}")
                .then().statusCode(200).body("data.status", is("running")).extract().path("data.run_id");

        post("/api/v1/llm/generate", "{\"run_id\":\"" + runId + "\",\"prompt\":\"Once upon\",\"max_tokens\":4}")
                .then().statusCode(200).body("data.text", not(nullValue()));
        post("/api/v1/llm/chat", "{\"run_id\":\"" + runId + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .then().statusCode(400)
                .body("msg", containsString("serves '" + CUSTOM + "', whose catalog abilities are [generate]: it cannot do chat"));
        post("/api/v1/llm/embed", "{\"run_id\":\"" + runId + "\",\"input\":\"hi\"}").then().statusCode(400)
                .body("msg", containsString("it cannot do embedding"));
        // naming the model instead of the run is held to the same abilities
        String byName = "\"engine_type\":\"llamacpp\",\"model_name\":\"" + CUSTOM + "\"";
        post("/api/v1/llm/chat", "{" + byName + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .then().statusCode(400).body("msg", containsString("it cannot do chat"));
        post("/api/v1/llm/embed", "{" + byName + ",\"input\":\"hi\"}").then().statusCode(400)
                .body("msg", containsString("it cannot do embedding"));
        post("/api/v1/llm/generate", "{" + byName + ",\"prompt\":\"Once\",\"max_tokens\":2}").then().statusCode(200);
    }
}

package io.infercore.engine.instances;

import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Named engine instances ({@code ollama.instances}, {@code vllm.instances}) against two fake
 * Ollama 0.12 servers and two fake vLLM 0.11 servers: {@code engine:instance/model} reaches that
 * instance's server on every route that takes a model, {@code /v1/models} lists each instance,
 * an unknown instance is a 404 naming the known ones, and one instance going down leaves the
 * other serving while health names the one that is down. Which server got a request is read
 * from the fakes' own counters.
 */
@QuarkusTest
@WithTestResource(value = NamedInstancesResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NamedInstancesTest {

    static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about a cat\"}],"
            + "\"max_tokens\":4,\"temperature\":0}";

    @NamedInstancesResource.InjectFakes
    NamedInstancesResource.Fakes fakes;

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    /** Requests the fake answered on {@code path} since its last reset. */
    static long served(FakeEngineProcess fake, String path) {
        return fake.stats().path("requests").path(path).asLong();
    }

    void resetOllamas() {
        fakes.ollamaA().resetStats();
        fakes.ollamaB().resetStats();
    }

    @Test
    @Order(1)
    void should_send_v1_chat_to_the_named_instance_only() {
        for (String instance : List.of("a", "b")) {
            resetOllamas();
            post("/v1/chat/completions", CHAT.formatted("ollama:" + instance + "/llama3.2")).then().statusCode(200)
                    .body("object", is("chat.completion"));
            FakeEngineProcess chosen = instance.equals("a") ? fakes.ollamaA() : fakes.ollamaB();
            FakeEngineProcess other = instance.equals("a") ? fakes.ollamaB() : fakes.ollamaA();
            assertThat(served(chosen, "/api/chat")).as("ollama:" + instance + " got the request").isEqualTo(1);
            assertThat(served(other, "/api/chat")).as("the other instance got nothing").isZero();
        }
    }

    @Test
    @Order(2)
    void should_take_the_instance_on_the_native_api_as_model_name_or_engine_type() {
        resetOllamas();
        post("/api/v1/llm/generate", "{\"model_name\":\"ollama:b/llama3.2\",\"prompt\":\"Once upon\",\"max_tokens\":3}")
                .then().statusCode(200).body("data.engine_type", is("ollama:b"))
                .body("data.model_name", is("llama3.2:latest"));
        assertThat(served(fakes.ollamaB(), "/api/generate")).isEqualTo(1);
        assertThat(served(fakes.ollamaA(), "/api/generate")).isZero();

        post("/api/v1/llm/chat", "{\"engine_type\":\"ollama:a\",\"model_name\":\"llama3.2\",\"max_tokens\":3,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(200).body("data.engine_type", is("ollama:a"));
        assertThat(served(fakes.ollamaA(), "/api/chat")).isEqualTo(1);
        assertThat(served(fakes.ollamaB(), "/api/chat")).isZero();
    }

    @Test
    @Order(3)
    void should_embed_on_the_named_instance() {
        resetOllamas();
        post("/v1/embeddings", "{\"model\":\"ollama:b/nomic-embed-text\",\"input\":\"hello\"}").then().statusCode(200)
                .body("data[0].object", is("embedding"));
        post("/api/v1/llm/embed", "{\"model_name\":\"ollama:a/nomic-embed-text\",\"input\":[\"hello\"]}")
                .then().statusCode(200).body("data.engine_type", is("ollama:a"));
        assertThat(served(fakes.ollamaB(), "/api/embed")).isEqualTo(1);
        assertThat(served(fakes.ollamaA(), "/api/embed")).isEqualTo(1);
    }

    @Test
    @Order(4)
    void should_route_the_ollama_and_anthropic_compatible_routes_to_the_instance() {
        resetOllamas();
        post("/api/chat", "{\"model\":\"ollama:a/llama3.2\",\"stream\":false,\"options\":{\"num_predict\":3},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").then().statusCode(200);
        post("/v1/messages", "{\"model\":\"ollama:b/llama3.2\",\"max_tokens\":3,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").then().statusCode(200)
                .body("type", is("message"));
        assertThat(served(fakes.ollamaA(), "/api/chat")).isEqualTo(1);
        assertThat(served(fakes.ollamaB(), "/api/chat")).isEqualTo(1);
    }

    @Test
    @Order(5)
    void should_send_each_vllm_instance_its_own_api_key() {
        fakes.box1().resetStats();
        fakes.box2().resetStats();
        // box1 answers 401 to any other key: a 200 means its own key went to it
        for (String box : List.of("box1", "box2")) {
            post("/v1/chat/completions", CHAT.formatted("vllm:" + box + "/" + NamedInstancesResource.VLLM_MODEL))
                    .then().statusCode(200);
        }
        assertThat(served(fakes.box1(), "/v1/chat/completions")).isEqualTo(1);
        assertThat(served(fakes.box2(), "/v1/chat/completions")).isEqualTo(1);
    }

    @Test
    @Order(6)
    void should_list_every_instance_in_v1_models_under_its_prefix() {
        JsonPath models = given().when().get("/v1/models").then().statusCode(200).extract().jsonPath();
        List<String> ids = models.getList("data.id");
        assertThat(ids).contains("ollama:a/llama3.2:latest", "ollama:b/llama3.2:latest", "ollama:b/nomic-embed-text:latest",
                "vllm:box1/" + NamedInstancesResource.VLLM_MODEL, "vllm:box2/" + NamedInstancesResource.VLLM_MODEL);
        assertThat(ids).as("a plain name goes to default instances only, and the default Ollama is down")
                .doesNotContain("llama3.2:latest");
        Map<String, String> owners = new java.util.HashMap<>();
        models.getList("data", Map.class).forEach(m -> owners.put((String) m.get("id"), (String) m.get("owned_by")));
        assertThat(owners).containsEntry("ollama:a/llama3.2:latest", "ollama:a")
                .containsEntry("vllm:box2/" + NamedInstancesResource.VLLM_MODEL, "vllm:box2");
        // every listed id routes back to the instance that listed it
        resetOllamas();
        post("/v1/chat/completions", CHAT.formatted("ollama:b/llama3.2:latest")).then().statusCode(200);
        assertThat(served(fakes.ollamaB(), "/api/chat")).isEqualTo(1);
    }

    @Test
    @Order(7)
    void should_answer_404_naming_the_instances_for_an_unknown_one() {
        post("/v1/chat/completions", CHAT.formatted("ollama:zz/llama3.2")).then().statusCode(404)
                .body("error.type", is("not_found_error"))
                .body("error.message", allOf(containsString("no instance 'zz'"), containsString("ollama:a"),
                        containsString("ollama:b")));
        post("/api/v1/llm/chat", "{\"engine_type\":\"ollama:zz\",\"model_name\":\"llama3.2\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(404).body("code", is(404))
                .body("msg", allOf(containsString("no instance 'zz'"), containsString("ollama:b")));
        post("/api/chat", "{\"model\":\"vllm:gpu9/x\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .then().statusCode(404).body("error", allOf(containsString("vllm:box1"), containsString("vllm:box2")));
    }

    @Test
    @Order(8)
    void should_report_every_instance_in_api_v1_health() {
        JsonPath health = given().when().get("/api/v1/health").then().statusCode(200).extract().jsonPath();
        assertThat(health.getBoolean("data.engines.find { it.address == 'ollama:a' }.up")).isTrue();
        assertThat(health.getBoolean("data.engines.find { it.address == 'vllm:box2' }.up")).isTrue();
        assertThat(health.getString("data.engines.find { it.address == 'ollama:b' }.instance")).isEqualTo("b");
        assertThat(health.getBoolean("data.engines.find { it.address == 'ollama' }.up"))
                .as("the default Ollama points at a dead port").isFalse();
    }

    @Test
    @Order(100) // last: it stops the fake behind ollama:b
    void should_keep_serving_from_one_instance_when_the_other_is_down() {
        fakes.ollamaB().close();
        for (int i = 0; i < 3; i++) { // two unanswered calls open b's breaker; the third is refused at once
            post("/v1/chat/completions", CHAT.formatted("ollama:b/llama3.2")).then().statusCode(503)
                    .body("error.message", containsString("ollama:b"));
        }
        fakes.ollamaA().resetStats();
        post("/v1/chat/completions", CHAT.formatted("ollama:a/llama3.2")).then().statusCode(200);
        assertThat(served(fakes.ollamaA(), "/api/chat")).as("a's breaker is its own").isEqualTo(1);

        JsonPath health = given().when().get("/api/v1/health").then().statusCode(200).extract().jsonPath();
        assertThat(health.getString("data.status")).isEqualTo("degraded");
        assertThat(health.getBoolean("data.engines.find { it.address == 'ollama:b' }.up")).isFalse();
        assertThat(health.getString("data.engines.find { it.address == 'ollama:b' }.detail")).contains(fakes.ollamaB().baseUrl());
        assertThat(health.getBoolean("data.engines.find { it.address == 'ollama:a' }.up")).isTrue();

        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'engine-instances' }.status", is("UP"))
                .body("checks.find { it.name == 'engine-instances' }.data.'ollama:a'", is("up"))
                .body("checks.find { it.name == 'engine-instances' }.data.'ollama:b'", containsString("down"));
        assertThat(given().when().get("/v1/models").then().statusCode(200).extract().jsonPath().getList("data.id", String.class))
                .contains("ollama:a/llama3.2:latest").doesNotContain("ollama:b/llama3.2:latest");
    }
}

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

import java.nio.file.Files;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * Runs on named engine instances through {@code POST /api/v1/models/start}, against the two fake
 * Ollama 0.12 servers ({@code ollama:a}, {@code ollama:b}) and two fake vLLM 0.11 servers
 * ({@code vllm:box1} with an API key, {@code vllm:box2}) of {@link NamedInstancesResource}: a model
 * started on {@code ollama:a} is pulled and loaded there and nowhere else, listed with its
 * instance, served from there by run id and by model name, and unloaded there on stop; a start on
 * {@code vllm:box1} attaches to that server and a stop only forgets it; spawning on an instance is
 * a 400; a key limited to {@code ollama:a/*} may start and stop there, one limited to
 * {@code ollama/*} may not. Which server got what is read from the fakes' own counters.
 */
@QuarkusTest
@WithTestResource(value = InstanceRunsResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstanceRunsTest {

    static final String START_ON_A = "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"ollama:a\"}";
    static final String OLLAMA_NAME = "qwen2:0.5b";
    static String runOnA;

    @NamedInstancesResource.InjectFakes
    NamedInstancesResource.Fakes fakes;

    static Response post(String key, String path, String body) {
        return given().header("X-API-Key", key).contentType(ContentType.JSON).body(body).when().post(path);
    }

    static JsonPath get(String path) {
        return given().header("X-API-Key", InstanceRunsResource.ADMIN).when().get(path).then().statusCode(200)
                .extract().jsonPath();
    }

    static long served(FakeEngineProcess fake, String path) {
        return fake.stats().path("requests").path(path).asLong();
    }

    @Test
    @Order(1)
    void should_refuse_a_start_on_an_instance_to_a_key_limited_to_the_default_instance() {
        post(InstanceRunsResource.ON_DEFAULT, "/api/v1/models/start", START_ON_A).then().statusCode(403);
        assertThat(served(fakes.ollamaA(), "/api/pull")).isZero();
    }

    @Test
    @Order(2)
    void should_pull_and_load_the_model_on_the_named_instance_only_and_list_the_run_with_it() throws Exception {
        fakes.ollamaA().resetStats();
        fakes.ollamaB().resetStats();
        runOnA = post(InstanceRunsResource.ON_A, "/api/v1/models/start?wait=true", START_ON_A).then().statusCode(200)
                .body("data.status", is("running")).body("data.engine_type", is("ollama:a"))
                .body("data.instance", is("a")).body("data.model_name", is(OLLAMA_NAME))
                .extract().path("data.run_id");

        assertThat(served(fakes.ollamaA(), "/api/pull")).as("a pulled the model").isEqualTo(1);
        assertThat(fakes.ollamaA().lastRequest("/api/generate").path("keep_alive").asInt()).as("a loaded it").isEqualTo(-1);
        assertThat(fakes.ollamaA().lastRequest("/api/generate").path("model").asText()).isEqualTo(OLLAMA_NAME);
        assertThat(served(fakes.ollamaB(), "/api/pull") + served(fakes.ollamaB(), "/api/generate"))
                .as("b got nothing").isZero();

        JsonPath running = get("/api/v1/models/running");
        String run = "data.find { it.run_id == '" + runOnA + "' }";
        assertThat(running.getString(run + ".engine_type")).isEqualTo("ollama:a");
        assertThat(running.getString(run + ".instance")).isEqualTo("a");
        assertThat(running.getString(run + ".base_url")).isEqualTo(fakes.ollamaA().baseUrl());
        assertThat(running.getString("data.find { it.mode == 'builtin' }.instance")).as("default instance").isNull();
        JsonPath one = get("/api/v1/models/running/" + runOnA);
        assertThat(one.getString("data.instance")).isEqualTo("a");
        assertThat(one.getString("data.status")).isEqualTo("running");
        assertThat(Files.readString(InstanceRunsResource.modelsDir.resolve("runs/state.json")))
                .as("the instance survives a restart").contains(runOnA, "\"instance\" : \"a\"");
    }

    @Test
    @Order(3)
    void should_send_requests_by_run_id_and_by_model_name_to_the_instance() {
        fakes.ollamaA().resetStats();
        fakes.ollamaB().resetStats();
        post(InstanceRunsResource.ON_A, "/api/v1/llm/generate", "{\"prompt\":\"Once upon\",\"run_id\":\"" + runOnA
                + "\",\"max_tokens\":3}").then().statusCode(200).body("data.engine_type", is("ollama:a"))
                .body("data.model_name", is(OLLAMA_NAME));
        post(InstanceRunsResource.ADMIN, "/v1/chat/completions", NamedInstancesTest.CHAT.formatted(OLLAMA_NAME))
                .then().statusCode(200).body("object", is("chat.completion"));
        post(InstanceRunsResource.ADMIN, "/v1/chat/completions", NamedInstancesTest.CHAT.formatted(runOnA))
                .then().statusCode(200);
        assertThat(served(fakes.ollamaA(), "/api/generate")).isEqualTo(1);
        assertThat(served(fakes.ollamaA(), "/api/chat")).isEqualTo(2);
        assertThat(served(fakes.ollamaB(), "/api/generate") + served(fakes.ollamaB(), "/api/chat")).isZero();
        assertThat(get("/v1/models").getList("data.findAll { it.owned_by == 'ollama:a' }.id", String.class))
                .contains(runOnA, OLLAMA_NAME);
    }

    @Test
    @Order(4)
    void should_conflict_with_a_second_start_on_the_same_instance() {
        post(InstanceRunsResource.ADMIN, "/api/v1/models/start", START_ON_A).then().statusCode(409)
                .body("msg", containsString("ollama:a already serves '" + OLLAMA_NAME + "' as run " + runOnA));
    }

    @Test
    @Order(5)
    void should_let_only_the_instance_key_stop_the_run_and_unload_it_there() {
        post(InstanceRunsResource.ON_DEFAULT, "/api/v1/models/running/" + runOnA + "/stop", "").then().statusCode(403);
        fakes.ollamaA().resetStats();
        fakes.ollamaB().resetStats();
        post(InstanceRunsResource.ON_A, "/api/v1/models/running/" + runOnA + "/stop", "").then().statusCode(200)
                .body("data.status", is("stopped")).body("data.instance", is("a"));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                fakes.ollamaA().lastRequest("/api/generate").path("keep_alive").asInt(-1) == 0);
        assertThat(fakes.ollamaA().lastRequest("/api/generate").path("model").asText()).isEqualTo(OLLAMA_NAME);
        assertThat(served(fakes.ollamaB(), "/api/generate")).as("b unloaded nothing").isZero();
    }

    @Test
    @Order(6)
    void should_attach_to_a_vllm_instance_list_it_serve_from_it_and_only_forget_it_on_stop() {
        String runId = post(InstanceRunsResource.ADMIN, "/api/v1/models/start?wait=true",
                "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm:box1\"}").then().statusCode(200)
                .body("data.status", is("running")).body("data.mode", is("attached"))
                .body("data.engine_type", is("vllm:box1")).body("data.instance", is("box1"))
                .body("data.base_url", is(fakes.box1().baseUrl())).extract().path("data.run_id");
        assertThat(get("/api/v1/models/running").getString("data.find { it.run_id == '" + runId + "' }.instance"))
                .isEqualTo("box1");

        fakes.box1().resetStats();
        fakes.box2().resetStats();
        post(InstanceRunsResource.ADMIN, "/api/v1/llm/chat", "{\"run_id\":\"" + runId + "\",\"max_tokens\":3,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").then().statusCode(200)
                .body("data.engine_type", is("vllm:box1"));
        assertThat(served(fakes.box1(), "/v1/chat/completions")).as("box1 (its key accepted) served it").isEqualTo(1);
        assertThat(served(fakes.box2(), "/v1/chat/completions")).isZero();

        post(InstanceRunsResource.ADMIN, "/api/v1/models/running/" + runId + "/stop", "").then().statusCode(200)
                .body("data.status", is("stopped"));
        assertThat(fakes.box1().stats().path("requests").isObject()).as("box1 still runs").isTrue();
        post(InstanceRunsResource.ADMIN, "/v1/chat/completions", NamedInstancesTest.CHAT.formatted(
                "vllm:box1/" + NamedInstancesResource.VLLM_MODEL)).then().statusCode(200);
    }

    @Test
    @Order(7)
    void should_refuse_to_spawn_on_a_remote_instance_with_a_400_saying_what_to_do() {
        post(InstanceRunsResource.ADMIN, "/api/v1/models/start",
                "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm:box1\",\"n_gpu\":1}").then().statusCode(400)
                .body("msg", allOf(containsString("vllm:box1 is the vllm server at " + fakes.box1().baseUrl()),
                        containsString("does not run"), containsString("engine_type vllm to spawn a local server")))
                .body("data", nullValue());
        post(InstanceRunsResource.ADMIN, "/api/v1/models/start",
                "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm:gpu9\"}").then().statusCode(400)
                .body("msg", allOf(containsString("no instance 'gpu9'"), containsString("vllm:box1")));
        assertThat(get("/api/v1/models/running").getList("data.findAll { it.engine_type == 'vllm:box1' "
                + "&& it.status != 'stopped' }")).isEmpty();
    }
}

package io.infercore.api;

import io.infercore.support.Sse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.emptyString;

/**
 * A remote-only gateway: the embedded engines off ({@code infercore.embedded.enabled=false}, on the JVM
 * and in a native executable alike). It starts and is ready without loading a model, every call to the embedded engine is
 * a 503 that names the remote engines, the remote engines (the fake vLLM and SGLang) still answer, and
 * the API docs are served. HTTP only, so {@code EmbeddedDisabledIT} runs it against the packaged artifact.
 */
@QuarkusTest
@TestProfile(EmbeddedDisabledTest.EmbeddedOff.class)
class EmbeddedDisabledTest {

    public static class EmbeddedOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A model path that does not exist: nothing may try to load it.
            return Map.of("infercore.embedded.enabled", "false",
                    "infercore.llamacpp.model_path", "target/no-such-dir/never-loaded.gguf");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RemoteEnginesResource.class));
        }
    }

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    @Test
    void should_be_ready_without_waiting_for_an_embedded_model() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.find { it.name == 'default-model' }.data.state", is("embedded engine off"))
                .body("checks.find { it.name == 'default-model' }.data.detail", containsString("ollama, vllm or sglang"));
    }

    @Test
    void should_answer_503_naming_the_remote_engines_for_generation_on_the_embedded_engine() {
        post("/api/v1/llm/generate", "{\"prompt\":\"Once upon a time\",\"max_tokens\":4}")
                .then().statusCode(503)
                .body("code", is(503))
                .body("msg", containsString("embedded engine"))
                .body("msg", containsString("infercore.embedded.enabled=false"))
                .body("msg", containsString("ollama, vllm or sglang"))
                .body("msg", not(containsString("Exception")));
        post("/api/v1/llm/chat", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"engine_type\":\"llamacpp\","
                + "\"stream\":true}")
                .then().statusCode(503).contentType(ContentType.JSON).body("msg", containsString("ollama, vllm or sglang"));
        post("/api/v1/llm/structured-generate", "{\"prompt\":\"A cat\",\"schema\":{\"name\":\"string\"}}")
                .then().statusCode(503).body("msg", containsString("ollama, vllm or sglang"));
    }

    @Test
    void should_answer_503_for_the_embedded_embedding_model() {
        post("/api/v1/llm/embed", "{\"input\":[\"A cat sits on the mat\"]}")
                .then().statusCode(503).body("msg", containsString("ollama, vllm or sglang"));
    }

    @Test
    void should_serve_the_api_docs_offline() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/llm/generate'", notNullValue());
        given().when().get("/docs/").then().statusCode(200).body(containsString("swagger"));
        given().when().get("/redoc/").then().statusCode(200).body(containsString("/q/openapi"));
        given().when().get("/webjars/redoc/2.1.4/bundles/redoc.standalone.js").then().statusCode(200);
    }

    @Test
    void should_still_serve_the_remote_engines() {
        for (String engine : List.of("vllm", "sglang")) {
            String target = "\"engine_type\":\"" + engine + "\",\"model_name\":\"" + RemoteEnginesResource.model(engine) + "\"";
            post("/api/v1/llm/chat", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":8," + target + "}")
                    .then().statusCode(200)
                    .body("data.engine_type", is(engine))
                    .body("data.text", not(emptyString()));
            Response streamed = post("/api/v1/llm/generate", "{\"prompt\":\"Once upon a time\",\"max_tokens\":8,"
                    + "\"stream\":true," + target + "}");
            streamed.then().statusCode(200).contentType("text/event-stream");
            List<Sse.Event> events = Sse.parse(streamed.asString());
            assertThat(events.get(events.size() - 1).name()).as(streamed.asString()).isEqualTo("done");
        }
    }
}

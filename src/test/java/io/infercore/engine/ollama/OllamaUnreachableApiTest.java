package io.infercore.engine.ollama;

import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** With {@code ollama.base_url} on a closed port, Ollama requests answer 503 naming the URL and {@code ollama serve}. */
@QuarkusTest
@WithTestResource(value = OllamaUnreachableApiTest.ClosedPort.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class OllamaUnreachableApiTest {

    /** Points the application at a loopback port nothing listens on. */
    public static class ClosedPort implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("infercore.ollama.base_url", "http://127.0.0.1:" + FakeEngineProcess.freePort());
        }

        @Override
        public void stop() {
        }
    }

    @ConfigProperty(name = "infercore.ollama.base_url")
    String baseUrl;

    @Test
    void should_answer_503_naming_the_url_and_how_to_start_ollama() {
        for (String body : new String[] {
                "{\"engine_type\":\"ollama\",\"model_name\":\"llama3.2\",\"prompt\":\"hi\"}",
                "{\"engine_type\":\"ollama\",\"model_name\":\"llama3.2\",\"prompt\":\"hi\",\"stream\":true}"}) {
            given().contentType(ContentType.JSON).body(body).when().post("/api/v1/llm/generate")
                    .then().statusCode(503)
                    .body("code", is(503))
                    .body("msg", containsString(baseUrl))
                    .body("msg", containsString("ollama serve"));
        }
    }
}

package io.infercore.api;

import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.quarkus.test.junit.DisabledOnIntegrationTest.ArtifactType.CONTAINER;
import static io.quarkus.test.junit.DisabledOnIntegrationTest.ArtifactType.JAR;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The native executable, where the embedded llama.cpp engine serves and the embedded embedding
 * model (ONNX Runtime) is off: both embedding routes answer a 503 in their own error shape, naming the
 * remote engines, while generation on the same executable works ({@link GenerationResourceIT}).
 * Runs only against the native executable ({@code scripts/native-its.sh}); on the jar the embedding
 * model serves ({@link EmbedResourceIT}).
 */
@QuarkusIntegrationTest
@DisabledOnIntegrationTest(value = "the jar runs the embedding model (EmbedResourceIT)", forArtifactTypes = {JAR, CONTAINER})
class EmbeddingsOffInNativeIT {

    @Test
    void should_refuse_embeddings_on_the_native_route_with_a_503_naming_the_remote_engines() {
        given().contentType(ContentType.JSON).body("{\"input\":[\"A cat sits on the mat\"]}")
                .when().post("/api/v1/llm/embed")
                .then().statusCode(503)
                .body("code", is(503))
                .body("msg", containsString("not available in the native build"))
                .body("msg", containsString("engine_type ollama, vllm or sglang"));
    }

    @Test
    void should_refuse_embeddings_on_the_openai_route_with_an_openai_error() {
        given().contentType(ContentType.JSON).body("{\"model\":\"all-minilm-l6-v2\",\"input\":\"A cat\"}")
                .when().post("/v1/embeddings")
                .then().statusCode(503)
                .body("error.message", containsString("not available in the native build"));
    }

    @Test
    void should_still_generate_on_the_embedded_engine() {
        given().contentType(ContentType.JSON).body("{\"prompt\":\"Once upon a time\",\"max_tokens\":8}")
                .when().post("/api/v1/llm/generate")
                .then().statusCode(200)
                .body("code", is(200));
    }
}

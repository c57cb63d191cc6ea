package io.infercore.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Without its GGUF the service still starts, says why it is not ready, and answers with the fix. */
@QuarkusTest
@TestProfile(MissingModelTest.NoModelFile.class)
class MissingModelTest {

    public static class NoModelFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("infercore.llamacpp.model_path", "target/no-such-dir/missing.gguf");
        }
    }

    @Test
    void should_be_live_but_not_ready_and_explain_why() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("status", is("DOWN"))
                .body("checks.find { it.name == 'default-model' }.data.state", is("failed"))
                .body("checks.find { it.name == 'default-model' }.data.detail", containsString("fetch-default-model.sh"));
    }

    @Test
    void should_answer_generation_with_the_fix_instead_of_a_stack_trace() {
        var response = given().contentType(ContentType.JSON).body("{\"prompt\":\"hi\"}").when().post("/api/v1/llm/generate");
        ValidationTableTest.assertEnvelope(response, 404, "missing.gguf");
    }
}

package io.infercore.access;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.infercore.access.RedactionProfile.ALL;
import static io.infercore.access.RedactionProfile.API_KEY;
import static io.infercore.access.RedactionProfile.HF_TOKEN;
import static io.infercore.access.RedactionProfile.SGLANG_KEY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

/**
 * No configured secret reaches a user or a log: run views, run logs (the fake SGLang prints its
 * ServerArgs, API key included, as the real one does), the command lines in run events, error
 * replies naming an engine URL with a password, and the service's own log file.
 */
@QuarkusTest
@TestProfile(RedactionProfile.class)
class SecretsRedactionTest {

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + API_KEY);
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : ALL) {
            assertThat(text).as(where + " must not show a secret").doesNotContain(secret);
        }
    }

    @Test
    void should_never_show_a_secret_in_runs_logs_or_events() {
        List<String> runs = new ArrayList<>();
        try {
            for (String engine : List.of("sglang", "vllm")) {
                JsonPath started = api().contentType(ContentType.JSON)
                        .body("{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"" + engine + "\"}")
                        .when().post("/api/v1/models/start?wait=true").then().statusCode(200)
                        .body("data.status", is("running")).extract().jsonPath();
                runs.add(started.getString("data.run_id"));
                assertNoSecret(engine + " start reply", started.prettify());
            }
            // the engines got their keys: the service's calls to them are accepted
            api().contentType(ContentType.JSON).body("{\"prompt\":\"Hi\",\"max_tokens\":2,\"run_id\":\"" + runs.get(1) + "\"}")
                    .when().post("/api/v1/llm/generate").then().statusCode(200);

            assertNoSecret("running list", api().when().get("/api/v1/models/running").then().statusCode(200).extract().asString());
            for (String run : runs) {
                assertNoSecret("run " + run, api().when().get("/api/v1/models/running/" + run).asString());
            }
            String sglangLogs = api().when().get("/api/v1/models/running/" + runs.get(0) + "/logs?lines=200")
                    .then().statusCode(200).extract().asString();
            assertNoSecret("sglang logs", sglangLogs);
            assertThat(sglangLogs).as("the engine's own line is shown, masked").contains("api_key='***'")
                    .as("the launch event shows the command line, masked").contains("--api-key ***");
            assertNoSecret("vllm logs", api().when().get("/api/v1/models/running/" + runs.get(1) + "/logs").asString());
        } finally {
            runs.forEach(run -> api().when().post("/api/v1/models/running/" + run + "/stop"));
        }
    }

    @Test
    void should_mask_a_password_in_an_engine_url_in_error_replies() {
        String reply = api().contentType(ContentType.JSON)
                .body("{\"prompt\":\"Hi\",\"max_tokens\":2,\"engine_type\":\"ollama\",\"model_name\":\"llama3.2\"}")
                .when().post("/api/v1/llm/generate").then().statusCode(503).extract().asString();
        assertNoSecret("503 reply", reply);
        assertThat(reply).contains("http://***@127.0.0.1:9");
        String v1 = api().contentType(ContentType.JSON)
                .body("{\"model\":\"ollama/llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(503).extract().asString();
        assertNoSecret("/v1 503 reply", v1);
    }

    @Test
    void should_mask_secrets_in_every_log_record_and_exception() throws Exception {
        Logger log = Logger.getLogger("io.infercore.test.redaction");
        log.infof("marker-1 calling with Authorization: Bearer %s and token %s", API_KEY, HF_TOKEN);
        log.error("marker-2 engine failed", new IllegalStateException("upstream said: bad key " + SGLANG_KEY,
                new RuntimeException("cause with " + HF_TOKEN)));
        given().header("Authorization", "Bearer sk-wrong-" + API_KEY).when().get("/api/v1/models").then().statusCode(401);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(RedactionProfile.LOG_FILE).contains("marker-2"));
        String logged = Files.readString(RedactionProfile.LOG_FILE);
        assertNoSecret("service log", logged);
        assertThat(logged).contains("marker-1 calling with Authorization: Bearer *** and token ***")
                .contains("IllegalStateException: upstream said: bad key ***").contains("cause with ***")
                .contains("API key(s) configured");
    }
}

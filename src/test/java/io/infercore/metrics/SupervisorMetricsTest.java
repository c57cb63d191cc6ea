package io.infercore.metrics;

import io.infercore.api.SupervisorResource;
import io.infercore.support.Scrape;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The supervisor's meters, against the fake vLLM 0.11 and SGLang 0.5 executables launched by the
 * real supervisor ({@link SupervisorResource}): a launch is timed with its outcome, a crash is a
 * restart, and the runs gauge follows the run through running and stopped.
 */
@QuarkusTest
@WithTestResource(value = SupervisorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SupervisorMetricsTest {

    @AfterEach
    void stopEveryRun() {
        List<String> ids = given().when().get("/api/v1/models/running").jsonPath().getList("data.run_id");
        ids.stream().filter(id -> !id.startsWith("builtin-"))
                .forEach(id -> given().when().post("/api/v1/models/running/" + id + "/stop").then().statusCode(200));
    }

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    static double launches(String engine, String outcome) {
        return Scrape.now().sum("infercore_run_launch_duration_seconds_count", "engine", engine, "outcome", outcome);
    }

    static double runs(String engine, String status) {
        return Scrape.now().sum("infercore_runs", "engine", engine, "status", status);
    }

    @Test
    void should_time_a_launch_count_a_restart_and_follow_the_run_status() {
        double launched = launches("vllm", "ready");
        double restarts = Scrape.now().sum("infercore_run_restarts_total", "engine", "vllm");
        assertThat(runs("vllm", "running")).isZero();
        assertThat(runs("llamacpp", "running")).as("the built-in models").isEqualTo(2);

        JsonPath started = post("/api/v1/models/start?wait=true", "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\"}")
                .then().statusCode(200).body("data.status", org.hamcrest.Matchers.is("running")).extract().jsonPath();
        String runId = started.getString("data.run_id");

        await().atMost(Duration.ofSeconds(20)).until(() -> launches("vllm", "ready") == launched + 1);
        assertThat(runs("vllm", "running")).isEqualTo(1);

        ProcessHandle.of(started.getLong("data.replicas[0].pid")).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(15)).until(() -> given().when().get("/api/v1/models/running/" + runId)
                .jsonPath().getInt("data.replicas[0].restarts") == 1);
        assertThat(Scrape.now().sum("infercore_run_restarts_total", "engine", "vllm")).isEqualTo(restarts + 1);

        post("/api/v1/models/running/" + runId + "/stop", "").then().statusCode(200);
        assertThat(runs("vllm", "running")).isZero();
        assertThat(runs("vllm", "restarting")).isZero();
    }

    @Test
    void should_count_a_launch_that_failed_with_its_outcome() {
        double failed = launches("sglang", "failed");

        String body = post("/api/v1/models/start-stream",
                "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"sglang\",\"engine_args\":{\"dtype\":\"float64\"}}")
                .then().statusCode(200).extract().asString();

        assertThat(body).contains("event: error");
        await().atMost(Duration.ofSeconds(20)).until(() -> launches("sglang", "failed") == failed + 1);
        assertThat(launches("sglang", "ready")).isZero();
        assertThat(runs("sglang", "failed")).isEqualTo(1);
    }
}

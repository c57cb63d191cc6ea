package io.infercore.api;

import io.infercore.support.FakeEngineProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * With {@code vllm.base_url} / {@code sglang.base_url} set explicitly, a start attaches to that
 * server (launch-only fields are refused), the periodic health check follows it, and stop leaves
 * it running.
 */
@QuarkusTest
@WithTestResource(value = AttachApiTest.Servers.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class AttachApiTest {

    /** A fake vLLM and a fake SGLang someone else started, configured as the engines' base URLs. */
    public static class Servers implements QuarkusTestResourceLifecycleManager {
        static FakeEngineProcess vllm;
        static FakeEngineProcess sglang;

        @Override
        public Map<String, String> start() {
            vllm = FakeEngineProcess.vllm("Qwen/Qwen2-0.5B-Instruct");
            sglang = FakeEngineProcess.sglang("Qwen/Qwen2-0.5B-Instruct");
            return Map.of("infercore.vllm.base_url", vllm.baseUrl(), "infercore.sglang.base_url", sglang.baseUrl(),
                    "infercore.supervisor.health_interval", "1s",
                    "infercore.vllm.launch_command", "false", "infercore.sglang.launch_command", "false");
        }

        @Override
        public void stop() {
            vllm.close();
            sglang.close();
        }
    }

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    static FakeEngineProcess server(String engine) {
        return "vllm".equals(engine) ? Servers.vllm : Servers.sglang;
    }

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void should_attach_to_the_configured_server_follow_its_health_and_leave_it_running(String engine) {
        FakeEngineProcess server = server(engine);
        String runId = post("/api/v1/models/start?wait=true", "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"" + engine + "\"}")
                .then().statusCode(200).body("data.mode", is("attached")).body("data.status", is("running"))
                .body("data.base_url", is(server.baseUrl())).extract().path("data.run_id");

        server.setKnob("unhealthy", true);
        await().atMost(Duration.ofSeconds(10)).until(() -> "unhealthy".equals(status(runId)));
        server.setKnob("unhealthy", false);
        await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(status(runId)));

        post("/api/v1/models/running/" + runId + "/stop", "").then().statusCode(200).body("data.status", is("stopped"));
        assertThat(server.awaitListening()).isTrue();
    }

    @Test
    void should_refuse_launch_only_fields_when_attaching() {
        post("/api/v1/models/start", "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"sglang\",\"n_gpu\":2}")
                .then().statusCode(400).body("msg", containsString("sglang.base_url is set, so the supervisor attaches"));
        post("/api/v1/models/start", "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\",\"replicas\":2}")
                .then().statusCode(400).body("msg", containsString("unset vllm.base_url to let the supervisor launch"));
    }

    static String status(String runId) {
        return given().when().get("/api/v1/models/running/" + runId).then().extract().path("data.status");
    }
}

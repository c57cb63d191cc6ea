package io.infercore.api;

import io.infercore.support.Sse;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A supervised engine process (the fake vLLM 0.11 launched by the supervisor) that dies in the
 * middle of a streamed answer: the client's stream ends with an {@code error} event, and the
 * supervisor restarts the engine under the same run id, which then serves again.
 */
@QuarkusTest
@WithTestResource(value = SupervisorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SupervisedEngineCrashTest {

    @Test
    void should_end_the_stream_with_an_error_event_and_restart_the_run_when_the_engine_dies_mid_stream() throws Exception {
        JsonPath started = SupervisorApiTest.post("/api/v1/models/start?wait=true",
                "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\"}").then().statusCode(200).extract().jsonPath();
        String runId = started.getString("data.run_id");
        long pid = started.getLong("data.replicas[0].pid");
        try {
            // The launched engine is told to exit (os._exit) after its third token.
            HttpResponse<String> knob = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(started.getString("data.base_url") + "/_fake/config"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"crash_after_tokens\":3}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(knob.statusCode()).isEqualTo(200);

            Response streamed = SupervisorApiTest.post("/api/v1/llm/generate", "{\"prompt\":\"Once upon a time\","
                    + "\"run_id\":\"" + runId + "\",\"max_tokens\":20,\"stream\":true,\"engine_args\":{\"ignore_eos\":true}}");
            assertThat(streamed.statusCode()).isEqualTo(200);
            List<Sse.Event> events = Sse.parse(streamed.asString());
            assertThat(events).filteredOn(e -> "delta".equals(e.name())).hasSize(3);
            Sse.Event last = events.get(events.size() - 1);
            assertThat(last.name()).as(streamed.asString()).isEqualTo("error");
            assertThat(last.json().getInt("code")).isBetween(500, 599);
            assertThat(last.json().getString("msg")).isNotBlank();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonPath now = SupervisorApiTest.run(runId);
                return "running".equals(now.getString("data.status")) && now.getInt("data.replicas[0].restarts") == 1;
            });
            assertThat(SupervisorApiTest.run(runId).getLong("data.replicas[0].pid")).isNotEqualTo(pid);
            SupervisorApiTest.post("/api/v1/llm/generate", "{\"prompt\":\"Once upon a time\",\"run_id\":\"" + runId
                    + "\",\"max_tokens\":4,\"stream\":true}").then().statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("event: done"));
        } finally {
            SupervisorApiTest.post("/api/v1/models/running/" + runId + "/stop", "").then().statusCode(200);
        }
    }
}

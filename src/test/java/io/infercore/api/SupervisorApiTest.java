package io.infercore.api;

import io.infercore.engine.EndpointRegistry;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.openai.RemoteEndpoint;
import io.infercore.engine.vllm.VllmEngine;
import io.infercore.support.Sse;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The supervisor through its API, against the fake engine executables, a fake Ollama and a
 * stand-in hub ({@link SupervisorResource}): launch, readiness, crash and restart, stop with the
 * port freed, start-stream progress and failures with the engine's log tail, Ollama pulls, GGUF
 * downloads, replicas with failover, and generation by run_id.
 */
@QuarkusTest
@WithTestResource(value = SupervisorResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SupervisorApiTest {

    static final String QWEN = "Qwen/Qwen2-0.5B-Instruct";

    @Inject
    EndpointRegistry registry;

    @AfterEach
    void stopEveryRun() {
        List<String> ids = given().when().get("/api/v1/models/running").jsonPath().getList("data.run_id");
        ids.stream().filter(id -> !id.startsWith("builtin-"))
                .forEach(id -> given().when().post("/api/v1/models/running/" + id + "/stop").then().statusCode(200));
        SupervisorResource.ollama.resetKnobs();
    }

    static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    static JsonPath run(String runId) {
        return given().when().get("/api/v1/models/running/" + runId).then().statusCode(200).extract().jsonPath();
    }

    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void should_start_vllm_restart_it_after_a_kill_and_stop_it_with_its_port_freed() throws Exception {
        JsonPath started = post("/api/v1/models/start?wait=true",
                "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\",\"engine_args\":{\"max_model_len\":2048}}")
                .then().statusCode(200).body("data.status", is("running")).body("data.mode", is("spawned"))
                .body("data.model_name", is(QWEN)).extract().jsonPath();
        String runId = started.getString("data.run_id");
        long pid = started.getLong("data.replicas[0].pid");
        String url = started.getString("data.base_url");
        assertThat(registry.baseUrl("vllm", QWEN)).contains(url);

        // The service routes by run_id to the launched server (no vllm.base_url is configured here),
        // and by engine + served name too, plain and streamed.
        post("/api/v1/llm/generate", "{\"prompt\":\"Once upon a time\",\"run_id\":\"" + runId + "\",\"max_tokens\":5}")
                .then().statusCode(200).body("data.engine_type", is("vllm")).body("data.usage.completion_tokens", is(5));
        post("/api/v1/llm/chat", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"engine_type\":\"vllm\","
                + "\"model_name\":\"" + QWEN + "\",\"max_tokens\":4,\"stream\":true}")
                .then().statusCode(200).body(containsString("event: done"));
        // The OpenAI-compatible API lists the run under its id and its model name, and serves both.
        List<String> ids = given().when().get("/v1/models").then().statusCode(200).extract().jsonPath().getList("data.id");
        assertThat(ids).contains(runId, QWEN);
        for (String model : List.of(runId, QWEN)) {
            given().contentType("application/json").body("{\"model\":\"" + model + "\",\"max_tokens\":3,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .when().post("/v1/chat/completions").then().statusCode(200).body("object", is("chat.completion"));
        }

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            JsonPath now = run(runId);
            return "running".equals(now.getString("data.status")) && now.getInt("data.replicas[0].restarts") == 1;
        });
        JsonPath restarted = run(runId);
        long newPid = restarted.getLong("data.replicas[0].pid");
        int port = restarted.getInt("data.replicas[0].port");
        assertThat(newPid).isNotEqualTo(pid);
        assertThat(registry.baseUrl("vllm", QWEN)).contains(restarted.getString("data.base_url"));
        post("/api/v1/llm/generate", "{\"prompt\":\"Once upon a time\",\"run_id\":\"" + runId + "\",\"max_tokens\":3}")
                .then().statusCode(200);

        given().when().get("/api/v1/models/running/" + runId + "/logs?lines=100").then().statusCode(200)
                .body("data.events.find { it.contains('restart 1 of 3') }", containsString("exited with code 137"))
                .body("data.replicas[0].lines.find { it.contains('Application startup complete.') }",
                        containsString("startup complete"));

        post("/api/v1/models/running/" + runId + "/stop", "").then().statusCode(200).body("data.status", is("stopped"));
        assertThat(ProcessHandle.of(newPid)).isEmpty();
        assertThat(portFree(port)).isTrue();
        assertThat(registry.endpoints("vllm", QWEN)).isEmpty();
        given().when().get("/api/v1/models/running/" + runId).then().statusCode(404);
    }

    @Test
    void should_stream_progress_then_an_error_with_the_engines_log_tail_when_it_refuses_a_flag() {
        Response response = post("/api/v1/models/start-stream",
                "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"sglang\",\"engine_args\":{\"dtype\":\"float64\"}}");

        response.then().statusCode(200).contentType("text/event-stream");
        List<Sse.Event> events = Sse.parse(response.asString());
        assertThat(events.subList(0, events.size() - 1)).allMatch(e -> "progress".equals(e.name()));
        assertThat(events).extracting(e -> e.json().getString("stage")).contains("resolving", "launching", "loading");
        Sse.Event error = events.get(events.size() - 1);
        assertThat(error.name()).isEqualTo("error");
        assertThat(error.json().getInt("code")).isEqualTo(503);
        assertThat(error.json().getString("msg")).contains("exited with code 2 before it was ready");
        assertThat(error.json().getList("log_tail", String.class)).anyMatch(l -> l.contains("invalid choice: 'float64'"));
        String runId = error.json().getString("run_id");
        assertThat(run(runId).getString("data.status")).isEqualTo("failed");
    }

    @Test
    void should_pull_an_ollama_model_with_byte_progress_serve_it_by_run_id_and_unload_it_on_stop() {
        Response response = post("/api/v1/models/start-stream", "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"ollama\"}");

        List<Sse.Event> events = Sse.parse(response.asString());
        assertThat(events).filteredOn(e -> "progress".equals(e.name()) && "downloading".equals(e.json().getString("stage"))
                        && e.data().contains("bytes_total"))
                .isNotEmpty()
                .allMatch(e -> e.json().getLong("bytes_done") <= e.json().getLong("bytes_total"));
        assertThat(events).filteredOn(e -> "progress".equals(e.name())).extracting(e -> e.json().getDouble("progress"))
                .isSorted();
        Sse.Event ready = events.get(events.size() - 1);
        assertThat(ready.name()).as(response.asString()).isEqualTo("ready");
        String runId = ready.json().getString("run_id");
        assertThat(ready.json().getString("model_name")).isEqualTo("qwen2:0.5b");
        assertThat(SupervisorResource.ollama.lastRequest("/api/generate").path("keep_alive").asInt()).isEqualTo(-1);

        post("/api/v1/llm/generate", "{\"prompt\":\"Hello there\",\"run_id\":\"" + runId + "\",\"max_tokens\":5}")
                .then().statusCode(200).body("data.engine_type", is("ollama")).body("data.model_name", is("qwen2:0.5b"));
        assertThat(registry.baseUrl("ollama", "qwen2:0.5b")).contains(SupervisorResource.ollama.baseUrl());

        post("/api/v1/models/running/" + runId + "/stop", "").then().statusCode(200);
        assertThat(registry.endpoints("ollama", "qwen2:0.5b")).isEmpty();
        // the unload reaches Ollama even when it answers slower than the stop waits
        await().atMost(Duration.ofSeconds(20)).until(() ->
                SupervisorResource.ollama.lastRequest("/api/generate").path("keep_alive").asInt(-1) == 0);
    }

    @Test
    void should_answer_503_for_a_run_still_starting_then_serve_it() {
        SupervisorResource.ollama.setKnob("token_delay_ms", 400);
        String runId = post("/api/v1/models/start", "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"ollama\"}")
                .then().statusCode(200).body("data.status", is("starting")).extract().path("data.run_id");

        post("/api/v1/llm/generate", "{\"prompt\":\"hi\",\"run_id\":\"" + runId + "\"}").then().statusCode(503)
                .body("msg", containsString("is starting"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(run(runId).getString("data.status")));
        post("/api/v1/llm/generate", "{\"prompt\":\"hi\",\"run_id\":\"" + runId + "\",\"max_tokens\":3}").then().statusCode(200);
        post("/api/v1/models/start", "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"ollama\"}").then().statusCode(409)
                .body("msg", containsString("already serves 'qwen2:0.5b' as run " + runId));
    }

    @Test
    void should_report_a_model_the_ollama_registry_lacks_as_a_404_error_event() {
        List<Sse.Event> events = Sse.parse(post("/api/v1/models/start-stream",
                "{\"model_id\":\"ghost\",\"engine_type\":\"ollama\"}").asString());

        Sse.Event error = events.get(events.size() - 1);
        assertThat(error.name()).isEqualTo("error");
        assertThat(error.json().getInt("code")).isEqualTo(404);
        assertThat(error.json().getString("msg")).contains("no-such-model:1b");
    }

    @Test
    void should_download_a_gguf_from_the_hub_with_byte_progress_then_generate_by_run_id() {
        List<Sse.Event> events = Sse.parse(post("/api/v1/models/start-stream",
                "{\"model_id\":\"stories\",\"engine_type\":\"llamacpp\"}").asString());

        List<Sse.Event> downloads = events.stream().filter(e -> "progress".equals(e.name())
                && "downloading".equals(e.json().getString("stage")) && e.data().contains("bytes_done")).toList();
        assertThat(downloads).isNotEmpty().allMatch(e -> e.json().getLong("bytes_total") == 1_185_376L);
        assertThat(downloads.get(downloads.size() - 1).json().getLong("bytes_done")).isEqualTo(1_185_376L);
        Sse.Event ready = events.get(events.size() - 1);
        assertThat(ready.name()).as(events.toString()).isEqualTo("ready");
        assertThat(Files.isRegularFile(SupervisorResource.modelsDir.resolve("gguf/stories260K.gguf"))).isTrue();
        String runId = ready.json().getString("run_id");

        post("/api/v1/llm/generate", "{\"prompt\":\"Once upon a time\",\"run_id\":\"" + runId + "\",\"max_tokens\":4}")
                .then().statusCode(200).body("data.model_name", is("stories")).body("data.engine_type", is("llamacpp"));

        post("/api/v1/models/running/" + runId + "/stop", "").then().statusCode(200);
        post("/api/v1/llm/generate", "{\"prompt\":\"Once\",\"engine_type\":\"llamacpp\",\"model_name\":\"stories\"}")
                .then().statusCode(404);
    }

    @Test
    void should_fail_a_gguf_download_whose_sha256_differs() {
        List<Sse.Event> events = Sse.parse(post("/api/v1/models/start-stream",
                "{\"model_id\":\"stories-tampered\",\"engine_type\":\"llamacpp\"}").asString());

        Sse.Event error = events.get(events.size() - 1);
        assertThat(error.name()).isEqualTo("error");
        assertThat(error.json().getInt("code")).isEqualTo(502);
        assertThat(error.json().getString("msg")).contains("sha256 mismatch", "the download was deleted");
        assertThat(SupervisorResource.modelsDir.resolve("gguf/stories260K-copy.gguf")).doesNotExist();
    }

    @Test
    void should_run_replicas_behind_one_run_id_and_fail_over_when_one_dies() {
        JsonPath started = post("/api/v1/models/start?wait=true",
                "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"sglang\",\"replicas\":2,\"enable_thinking\":false}")
                .then().statusCode(200).body("data.replicas.size()", is(2)).extract().jsonPath();
        String runId = started.getString("data.run_id");
        assertThat(registry.endpoints("sglang", QWEN)).hasSize(2);
        assertThat(started.getList("data.replicas.gpus")).containsExactlyInAnyOrder(List.of("0"), List.of("1"));

        String dead = started.getString("data.replicas[1].base_url");
        ProcessHandle.of(started.getLong("data.replicas[1].pid")).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() -> registry.endpoints("sglang", QWEN).size() == 1);
        assertThat(registry.baseUrl("sglang", QWEN)).isPresent().get().isNotEqualTo(dead);
        assertThat(run(runId).getString("data.status")).isEqualTo("running");
        for (int i = 0; i < 3; i++) {
            post("/api/v1/llm/chat", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"run_id\":\"" + runId
                    + "\",\"max_tokens\":3}").then().statusCode(200).body("data.engine_type", is("sglang"));
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> registry.endpoints("sglang", QWEN).size() == 2);
        assertThat(run(runId).getList("data.replicas.status")).containsOnly("running");
    }
}

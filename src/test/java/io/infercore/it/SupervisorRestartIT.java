package io.infercore.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.support.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service restarted for real: with {@code on_shutdown=leave} (the default) a
 * launched engine outlives the service and the next service re-adopts it from the state file;
 * with {@code on_shutdown=stop} the service takes its engines down with it.
 */
class SupervisorRestartIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path models;

    Map<String, String> properties(String onShutdown) {
        return Map.of("infercore.models_dir", models.toString(),
                "infercore.llamacpp.load_on_start", "false",
                "infercore.vllm.launch_command", "src/test/fakes/vllm,serve",
                "infercore.supervisor.on_shutdown", onShutdown,
                "infercore.supervisor.stop_grace", "3s");
    }

    static JsonNode call(ServiceProcess service, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return JSON.readTree(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    static long startVllm(ServiceProcess service) throws Exception {
        JsonNode started = call(service, "POST", "/api/v1/models/start?wait=true",
                "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\"}");
        assertThat(started.path("data").path("status").asText()).as(started.toString()).isEqualTo("running");
        return started.path("data").path("replicas").path(0).path("pid").asLong();
    }

    static void sigterm(ServiceProcess service) throws Exception {
        service.process().destroy();
        assertThat(service.process().waitFor(30, TimeUnit.SECONDS)).as(service.log()).isTrue();
    }

    @Test
    void should_readopt_an_engine_that_outlived_a_service_restart() throws Exception {
        long pid;
        String runId;
        try (ServiceProcess first = ServiceProcess.start(properties("leave"), List.of("serve"))) {
            first.awaitReady(Duration.ofSeconds(60));
            pid = startVllm(first);
            runId = call(first, "GET", "/api/v1/models/running", null).path("data").findValuesAsText("run_id").stream()
                    .filter(id -> id.startsWith("vllm-")).findFirst().orElseThrow();
            sigterm(first);
        }
        assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive);

        try (ServiceProcess second = ServiceProcess.start(properties("leave"), List.of("serve"))) {
            second.awaitReady(Duration.ofSeconds(60));
            JsonNode run = call(second, "GET", "/api/v1/models/running/" + runId, null).path("data");
            assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("running");
            assertThat(run.path("replicas").path(0).path("pid").asLong()).isEqualTo(pid);
            assertThat(call(second, "GET", "/api/v1/models/running/" + runId + "/logs", null).toString())
                    .contains("re-adopted pid " + pid);

            call(second, "POST", "/api/v1/models/running/" + runId + "/stop", null);
            assertThat(ProcessHandle.of(pid)).isEmpty();
        }
    }

    @Test
    void should_stop_its_engines_on_shutdown_when_told_to() throws Exception {
        long pid;
        try (ServiceProcess service = ServiceProcess.start(properties("stop"), List.of("serve"))) {
            service.awaitReady(Duration.ofSeconds(60));
            pid = startVllm(service);
            sigterm(service);
        }
        assertThat(ProcessHandle.of(pid)).isEmpty();
    }
}

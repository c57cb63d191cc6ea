package io.infercore.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.support.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.infercore.it.SupervisorRestartIT.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service killed with SIGKILL (no shutdown hook, no last state write) while two
 * launched engines (the fake vLLM 0.11 and SGLang 0.5) are running; one engine dies while the
 * service is down. The next service re-adopts the live one, which keeps serving, and reports the
 * dead one as failed: every run is accounted for.
 */
class ServiceKillNineIT {

    @TempDir
    Path models;

    Map<String, String> properties() {
        return Map.of("infercore.models_dir", models.toString(),
                "infercore.llamacpp.load_on_start", "false",
                "infercore.vllm.launch_command", "src/test/fakes/vllm,serve",
                "infercore.sglang.launch_command", "python3,src/test/fakes/sglang_launch_server.py",
                "infercore.supervisor.stop_grace", "3s");
    }

    static JsonNode start(ServiceProcess service, String engine) throws Exception {
        JsonNode started = call(service, "POST", "/api/v1/models/start?wait=true",
                "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"" + engine + "\"}").path("data");
        assertThat(started.path("status").asText()).as(started.toString()).isEqualTo("running");
        return started;
    }

    @Test
    void should_readopt_or_report_every_run_after_a_kill_9() throws Exception {
        List<Long> pids = new ArrayList<>();
        try {
            String liveRun;
            String deadRun;
            long livePid;
            long deadPid;
            try (ServiceProcess first = ServiceProcess.start(properties(), List.of("serve"))) {
                first.awaitReady(Duration.ofSeconds(60));
                JsonNode vllm = start(first, "vllm");
                JsonNode sglang = start(first, "sglang");
                liveRun = vllm.path("run_id").asText();
                livePid = vllm.path("replicas").path(0).path("pid").asLong();
                deadRun = sglang.path("run_id").asText();
                deadPid = sglang.path("replicas").path(0).path("pid").asLong();
                pids.addAll(List.of(livePid, deadPid));
                first.process().destroyForcibly(); // SIGKILL
                assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(first.process().exitValue()).isEqualTo(137);
            }
            assertThat(ProcessHandle.of(livePid)).get().matches(ProcessHandle::isAlive);
            ProcessHandle dead = ProcessHandle.of(deadPid).orElseThrow();
            dead.destroyForcibly();
            dead.onExit().get(10, TimeUnit.SECONDS);

            try (ServiceProcess second = ServiceProcess.start(properties(), List.of("serve"))) {
                second.awaitReady(Duration.ofSeconds(60));
                JsonNode live = call(second, "GET", "/api/v1/models/running/" + liveRun, null).path("data");
                assertThat(live.path("status").asText()).as(live.toString()).isEqualTo("running");
                assertThat(live.path("replicas").path(0).path("pid").asLong()).isEqualTo(livePid);
                assertThat(call(second, "GET", "/api/v1/models/running/" + liveRun + "/logs", null).toString())
                        .contains("re-adopted pid " + livePid);
                JsonNode answer = call(second, "POST", "/api/v1/llm/generate", "{\"prompt\":\"Once upon a time\","
                        + "\"run_id\":\"" + liveRun + "\",\"max_tokens\":3}");
                assertThat(answer.path("code").asInt()).as(answer.toString()).isEqualTo(200);

                JsonNode reported = call(second, "GET", "/api/v1/models/running/" + deadRun, null).path("data");
                assertThat(reported.path("status").asText()).as(reported.toString()).isEqualTo("failed");
                assertThat(reported.toString()).contains("engine process " + deadPid + " was gone");

                call(second, "POST", "/api/v1/models/running/" + liveRun + "/stop", null);
                assertThat(ProcessHandle.of(livePid)).isEmpty();
            }
        } finally {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }
}

package io.infercore.supervisor;

import io.infercore.support.FakeEngineProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** With a configured base_url the supervisor attaches to the server instead of launching one, and never stops it. */
class AttachDriverTest {

    static FakeEngineProcess sglang;

    @TempDir
    Path dir;
    Harness harness;

    @BeforeAll
    static void startServer() {
        sglang = FakeEngineProcess.sglang("Qwen/Qwen3-0.6B");
    }

    @AfterAll
    static void stopServer() {
        sglang.close();
    }

    @AfterEach
    void stopAll() {
        sglang.resetKnobs();
        harness.close();
    }

    static LaunchPlan attached(String model) {
        return new LaunchPlan("sglang", RunMode.ATTACHED, "qwen3-0.6b", "0.6B", "llm", model, model, null, null, null,
                0, 1, null, Map.of(), sglang.baseUrl());
    }

    @Test
    void should_attach_follow_health_and_leave_the_server_running_on_stop() throws Exception {
        harness = new Harness(dir);
        ModelRun run = harness.table.start(attached("Qwen/Qwen3-0.6B"), LaunchProgress.Sink.NONE);
        run.started.get(10, TimeUnit.SECONDS);

        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(harness.registry.baseUrl("sglang", "Qwen/Qwen3-0.6B")).contains(sglang.baseUrl());

        sglang.setKnob("unhealthy", true);
        harness.table.checkHealth();
        await().atMost(Duration.ofSeconds(20)).until(() -> run.status() == RunStatus.UNHEALTHY);
        assertThat(harness.registry.endpoints("sglang", "Qwen/Qwen3-0.6B")).isEmpty();

        sglang.setKnob("unhealthy", false);
        harness.table.checkHealth();
        await().atMost(Duration.ofSeconds(20)).until(() -> run.status() == RunStatus.RUNNING);

        harness.table.stop(run.id);
        assertThat(sglang.awaitListening()).isTrue();
        assertThat(harness.registry.endpoints("sglang", "Qwen/Qwen3-0.6B")).isEmpty();
    }

    @Test
    void should_refuse_a_server_that_serves_another_model() {
        harness = new Harness(dir);
        ModelRun run = harness.table.start(attached("Qwen/Qwen2-0.5B-Instruct"), LaunchProgress.Sink.NONE);

        assertThatThrownBy(() -> run.started.get(10, TimeUnit.SECONDS)).cause()
                .hasMessageContaining("serves [Qwen/Qwen3-0.6B], not 'Qwen/Qwen2-0.5B-Instruct'")
                .hasMessageContaining("unset sglang.base_url");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    }
}

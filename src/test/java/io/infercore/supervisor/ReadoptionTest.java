package io.infercore.supervisor;

import io.infercore.support.FakeEngineProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service restart never kills or forgets a model: the state file (written atomically) lists
 * every run; the next start re-adopts engine processes that are still the same process (pid +
 * start time) on their port, marks the dead ones, and keeps a corrupt state file as a backup.
 */
class ReadoptionTest {

    @TempDir
    Path dir;
    Harness before;
    Harness after;

    @AfterEach
    void stopAll() {
        if (after != null) {
            after.close();
        }
        if (before != null) {
            before.close();
        }
    }

    @Test
    void should_readopt_a_live_engine_after_a_service_restart_and_stop_it_later() throws Exception {
        before = new Harness(dir);
        ModelRun run = before.startAndWait(Harness.vllm(1, Map.of()));
        long pid = run.replicas.get(0).process.pid();
        String url = run.replicas.get(0).baseUrl;
        before.abandon();
        assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive);
        assertThat(Files.readString(dir.resolve("runs/state.json"))).contains(run.id, "\"pid\" : " + pid);

        after = new Harness(dir);
        List<String> problems = after.table.restore();

        assertThat(problems).isEmpty();
        ModelRun adopted = after.table.get(run.id).orElseThrow();
        assertThat(adopted.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(adopted.replicas.get(0).process.pid()).isEqualTo(pid);
        assertThat(after.registry.baseUrl("vllm", "Qwen/Qwen2-0.5B-Instruct")).contains(url);
        assertThat(adopted.events()).anyMatch(e -> e.contains("re-adopted pid " + pid));
        assertThat(after.table.logs(adopted, adopted.replicas.get(0), 50))
                .anyMatch(l -> l.contains("Application startup complete."));

        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // a crash is still noticed for an adopted process
        await().atMost(Duration.ofSeconds(10)).until(() -> adopted.replicas.get(0).process != null
                && adopted.replicas.get(0).process.pid() != pid && adopted.status() == RunStatus.RUNNING);
        long restarted = adopted.replicas.get(0).process.pid();

        after.table.stop(run.id);
        assertThat(ProcessHandle.of(restarted)).isEmpty();
        assertThat(Files.readString(dir.resolve("runs/state.json"))).doesNotContain(run.id);
    }

    @Test
    void should_readopt_a_run_on_a_named_instance_on_that_instance() throws Exception {
        try (FakeEngineProcess box1 = FakeEngineProcess.vllm("Qwen/Qwen2-0.5B-Instruct")) {
            LaunchPlan plan = new LaunchPlan("vllm", RunMode.ATTACHED, "qwen2-0.5b", "0.5B", "llm",
                    "Qwen/Qwen2-0.5B-Instruct", "Qwen/Qwen2-0.5B-Instruct", null, null, null, 0, 1, null, Map.of(),
                    box1.baseUrl(), "box1");
            before = new Harness(dir);
            ModelRun run = before.startAndWait(plan);
            assertThat(run.id).startsWith("vllm-box1-");
            before.abandon();
            assertThat(Files.readString(dir.resolve("runs/state.json"))).contains("\"instance\" : \"box1\"");

            after = new Harness(dir);
            assertThat(after.table.restore()).isEmpty();

            ModelRun adopted = after.table.get(run.id).orElseThrow();
            assertThat(adopted.plan.instance()).isEqualTo("box1");
            assertThat(adopted.plan.address()).isEqualTo("vllm:box1");
            await().atMost(Duration.ofSeconds(10)).until(() -> adopted.status() == RunStatus.RUNNING);
            assertThat(after.registry.baseUrl("vllm:box1", "Qwen/Qwen2-0.5B-Instruct")).contains(box1.baseUrl());
            assertThat(after.registry.baseUrl("vllm", "Qwen/Qwen2-0.5B-Instruct"))
                    .as("the default vllm never answers for an instance's run").isEmpty();
        }
    }

    @Test
    void should_read_a_state_file_written_before_runs_had_instances() throws Exception {
        Files.createDirectories(dir.resolve("runs"));
        before = new Harness(dir);
        new RunStateStore(dir.resolve("runs/state.json")).save(List.of(new RunState("vllm-0123456789ab",
                Harness.vllm(1, Map.of()), 0, null, List.of())));
        String old = Files.readString(dir.resolve("runs/state.json")).replaceAll(",\\s*\"instance\" : null", "");
        assertThat(old).doesNotContain("instance");
        Files.writeString(dir.resolve("runs/state.json"), old);

        RunStateStore.Loaded loaded = new RunStateStore(dir.resolve("runs/state.json")).load();
        assertThat(loaded.problem()).isNull();
        assertThat(loaded.runs()).singleElement().satisfies(r -> assertThat(r.plan().instance()).isNull());
    }

    @Test
    void should_mark_an_engine_that_died_while_the_service_was_down() throws Exception {
        before = new Harness(dir);
        ModelRun run = before.startAndWait(Harness.sglang(Map.of()));
        long pid = run.replicas.get(0).process.pid();
        before.abandon();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(pid).isEmpty());

        after = new Harness(dir);
        after.table.restore();

        ModelRun marked = after.table.get(run.id).orElseThrow();
        assertThat(marked.status()).isEqualTo(RunStatus.FAILED);
        assertThat(marked.replicas.get(0).lastError).contains("engine process " + pid + " was gone");
        assertThat(marked.reason).contains("survived the service restart");
        assertThat(after.registry.endpoints("sglang", "Qwen/Qwen3-0.6B")).isEmpty();
    }

    @Test
    void should_never_adopt_a_recycled_pid() throws Exception {
        before = new Harness(dir);
        long self = ProcessHandle.current().pid();
        int port = FakeEngineProcess.freePort();
        RunState forged = new RunState("vllm-0123456789ab", Harness.vllm(1, Map.of()), 0, null,
                List.of(new ReplicaState(0, RunStatus.RUNNING, self, 12_345L, port, "http://127.0.0.1:" + port,
                        List.of("0"), null, 0)));
        new RunStateStore(dir.resolve("runs/state.json")).save(List.of(forged));

        after = new Harness(dir);
        after.table.restore();

        assertThat(after.table.get(forged.runId()).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void should_report_a_corrupt_state_file_and_keep_it_as_a_backup() throws Exception {
        Files.createDirectories(dir.resolve("runs"));
        Files.writeString(dir.resolve("runs/state.json"), "{\"version\":1,\"runs\":[{\"run_id\":");

        after = new Harness(dir);
        List<String> problems = after.table.restore();

        assertThat(problems).singleElement().asString().contains("is corrupt", "kept as", "not re-adopted");
        try (Stream<Path> files = Files.list(dir.resolve("runs"))) {
            Path backup = files.filter(p -> p.getFileName().toString().startsWith("state.json.corrupt-")).findFirst()
                    .orElseThrow();
            assertThat(Files.readString(backup)).isEqualTo("{\"version\":1,\"runs\":[{\"run_id\":");
        }
        assertThat(after.table.all()).isEmpty();
    }
}

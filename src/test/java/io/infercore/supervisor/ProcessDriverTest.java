package io.infercore.supervisor;

import io.infercore.engine.EndpointRegistry;
import io.infercore.support.FakeEngineProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Launched engine servers, end to end against the fake vLLM and SGLang executables: real flags,
 * readiness, crash and unhealthy restarts with a limit, start-up failures with the engine's own
 * words, stall detection, SIGKILL escalation over the whole process tree, replicas with failover.
 */
class ProcessDriverTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    Harness harness;

    @AfterEach
    void stopAll() {
        if (harness != null) {
            harness.close();
        }
    }

    static int get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String body(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static void post(String url, String json) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding());
    }

    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static List<String> environment(long pid) throws Exception {
        return Arrays.asList(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8)
                .split("\0"));
    }

    @Test
    void should_launch_vllm_with_the_real_flags_and_register_the_replica_once_healthy() throws Exception {
        harness = new Harness(dir);
        ModelRun run = harness.startAndWait(Harness.vllm(1, Map.of("max_model_len", 4096, "enforce_eager", true)));

        Replica r = run.replicas.get(0);
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(get(r.baseUrl + "/health")).isEqualTo(200);
        assertThat(body(r.baseUrl + "/v1/models")).contains("\"id\":\"Qwen/Qwen2-0.5B-Instruct\"", "\"max_model_len\":4096");
        assertThat(harness.registry.endpoints("vllm", "Qwen/Qwen2-0.5B-Instruct"))
                .singleElement().extracting(EndpointRegistry.Endpoint::baseUrl).isEqualTo(r.baseUrl);
        String launched = Files.readAllLines(r.process.log()).get(0);
        assertThat(launched).contains("src/test/fakes/vllm serve Qwen/Qwen2-0.5B-Instruct --host 127.0.0.1 --port "
                + r.port + " --served-model-name Qwen/Qwen2-0.5B-Instruct --tensor-parallel-size 1 "
                + "--gpu-memory-utilization 0.5 --download-dir " + dir.resolve("HF") + " --enforce-eager --max-model-len 4096");
        assertThat(environment(r.process.pid())).contains("CUDA_VISIBLE_DEVICES=0", "PYTHONUNBUFFERED=1",
                "HUGGINGFACE_HUB_CACHE=" + dir.resolve("HF"));
        assertThat(r.gpus).containsExactly("0");
    }

    @Test
    void should_restart_a_crashed_engine_with_backoff_and_give_up_after_the_limit() throws Exception {
        harness = new Harness(dir);
        ModelRun run = harness.startAndWait(Harness.vllm(1, Map.of()));
        Replica r = run.replicas.get(0);
        long firstPid = r.process.pid();
        int firstPort = r.port;

        ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> r.status == RunStatus.RUNNING && r.process != null
                && r.process.pid() != firstPid);
        assertThat(r.restartCount).isEqualTo(1);
        assertThat(r.port).isNotEqualTo(firstPort);
        assertThat(harness.registry.endpoints("vllm", "Qwen/Qwen2-0.5B-Instruct")).extracting(EndpointRegistry.Endpoint::baseUrl)
                .containsExactly(r.baseUrl);
        assertThat(run.events()).anyMatch(e -> e.contains("exited with code 137") && e.contains("restart 1 of 2"));

        long secondPid = r.process.pid();
        ProcessHandle.of(secondPid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> r.status == RunStatus.RUNNING && r.process.pid() != secondPid);
        ProcessHandle.of(r.process.pid()).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> r.status == RunStatus.FAILED);
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.reason).contains("gave up after 2 restarts");
        assertThat(harness.registry.endpoints("vllm", "Qwen/Qwen2-0.5B-Instruct")).isEmpty();
    }

    @Test
    void should_kill_what_is_left_of_a_crashed_engines_tree_before_restarting_it() throws Exception {
        // like vLLM's EngineCore: a child that outlives its parent's SIGKILL, re-parented to init
        String wrapper = "import os, subprocess, sys; subprocess.Popen(['sleep', '300']); "
                + "os.execvp('python3', ['python3', 'src/test/fakes/vllm', 'serve'] + sys.argv[1:])";
        harness = new Harness(dir, Harness.settings(), List.of("python3", "-c", wrapper));
        ModelRun run = harness.startAndWait(Harness.vllm(1, Map.of()));
        Replica r = run.replicas.get(0);
        ProcessHandle engine = ProcessHandle.of(r.process.pid()).orElseThrow();
        List<ProcessHandle> children = engine.children().toList();
        assertThat(children).hasSize(1);

        engine.destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> r.status == RunStatus.RUNNING && r.process != null
                && r.process.pid() != engine.pid());
        assertThat(children.get(0).isAlive()).isFalse();
        assertThat(run.events()).anyMatch(e -> e.contains("exited with code 137")
                && e.contains("killed 1 leftover child process(es) of it"));
    }

    @Test
    void should_take_an_unhealthy_engine_out_of_rotation_then_restart_it() throws Exception {
        harness = new Harness(dir);
        ModelRun run = harness.startAndWait(Harness.sglang(Map.of()));
        Replica r = run.replicas.get(0);
        long pid = r.process.pid();
        post(r.baseUrl + "/_fake/config", "{\"unhealthy\": true}");

        harness.processes.check(run);
        await().atMost(Duration.ofSeconds(20)).until(() -> r.status == RunStatus.UNHEALTHY);
        assertThat(harness.registry.endpoints("sglang", "Qwen/Qwen3-0.6B")).isEmpty();

        await().atMost(Duration.ofSeconds(20)).until(() -> !r.probing.get());
        harness.processes.check(run); // second failure in a row = unhealthy_threshold
        await().atMost(Duration.ofSeconds(15)).until(() -> r.status == RunStatus.RUNNING && r.process.pid() != pid);

        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(r.restartCount).isEqualTo(1);
        assertThat(harness.registry.endpoints("sglang", "Qwen/Qwen3-0.6B")).hasSize(1);
        assertThat(run.events()).anyMatch(e -> e.contains("GET /health_generate failed 2 times in a row"));
    }

    @Test
    void should_fail_the_start_with_the_engines_own_error_when_it_refuses_a_flag() {
        harness = new Harness(dir);
        ModelRun run = harness.table.start(Harness.vllm(1, Map.of("dtype", "float64")), LaunchProgress.Sink.NONE);

        assertThatThrownBy(() -> run.started.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LaunchFailure.class)
                .hasMessageContaining("exited with code 2 before it was ready")
                .satisfies(f -> assertThat(((LaunchFailure) f).logTail())
                        .anyMatch(l -> l.contains("argument --dtype: invalid choice: 'float64'")));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.reason).contains("failed to start");
    }

    @Test
    void should_kill_a_start_that_stalls_without_output_and_report_it() throws Exception {
        harness = new Harness(dir, Harness.settings(), List.of("python3", "-c",
                "import sys, time; print('loading config', flush=True); time.sleep(600)"));
        long started = System.nanoTime();
        ModelRun run = harness.table.start(Harness.vllm(1, Map.of()), LaunchProgress.Sink.NONE);

        assertThatThrownBy(() -> run.started.get(20, TimeUnit.SECONDS)).cause()
                .hasMessageContaining("no progress for 3 s").hasMessageContaining("loading config");
        // never before the 3 s stall timeout; the upper bound is the 20 s wait above (the child sleeps 600 s)
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        long pid = Long.parseLong(run.events().stream().filter(e -> e.contains("started pid")).findFirst().orElseThrow()
                .replaceAll(".*started pid (\\d+).*", "$1"));
        assertThat(ProcessHandle.of(pid)).isEmpty();
    }

    @Test
    void should_wait_past_the_stall_timeout_while_the_engine_logs_progress() throws Exception {
        harness = new Harness(dir, Harness.settings(), List.of("src/test/fakes/vllm", "serve", "--fake-load-seconds", "5"));
        List<LaunchProgress> progress = new CopyOnWriteArrayList<>();

        ModelRun run = harness.table.start(Harness.vllm(1, Map.of()), progress::add);
        run.started.get(20, TimeUnit.SECONDS);

        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(progress).extracting(LaunchProgress::stage).contains("resolving", "launching", "loading");
        assertThat(progress).anyMatch(p -> p.message().contains("Loading safetensors checkpoint shards"));
        assertThat(progress).extracting(LaunchProgress::progress).isSorted();
    }

    @Test
    void should_stop_with_sigkill_after_the_grace_period_across_the_whole_process_tree() throws Exception {
        String wrapper = "import os, subprocess, sys; subprocess.Popen(['sleep', '300']); "
                + "os.execvp('python3', ['python3', 'src/test/fakes/vllm', 'serve', '--fake-ignore-sigterm'] + sys.argv[1:])";
        harness = new Harness(dir, Harness.settings(), List.of("python3", "-c", wrapper));
        ModelRun run = harness.startAndWait(Harness.vllm(1, Map.of()));
        Replica r = run.replicas.get(0);
        ProcessHandle engine = ProcessHandle.of(r.process.pid()).orElseThrow();
        List<ProcessHandle> children = engine.children().toList();
        assertThat(children).hasSize(1);

        long started = System.nanoTime();
        harness.table.stop(run.id);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(engine.isAlive()).isFalse();
        assertThat(children.get(0).isAlive()).isFalse();
        assertThat(portFree(r.port)).isTrue();
        assertThat(harness.table.get(run.id)).isEmpty();
        assertThat(harness.registry.endpoints("vllm", "Qwen/Qwen2-0.5B-Instruct")).isEmpty();
    }

    @Test
    void should_send_requests_to_the_least_busy_replica_and_fail_over_when_one_dies() throws Exception {
        harness = new Harness(dir);
        ModelRun run = harness.startAndWait(Harness.vllm(2, Map.of()));
        Replica a = run.replicas.get(0);
        Replica b = run.replicas.get(1);
        assertThat(a.port).isNotEqualTo(b.port);
        assertThat(a.gpus).isNotEqualTo(b.gpus);

        EndpointRegistry.Lease first = harness.registry.acquire("vllm", "Qwen/Qwen2-0.5B-Instruct").orElseThrow();
        EndpointRegistry.Lease second = harness.registry.acquire("vllm", "Qwen/Qwen2-0.5B-Instruct").orElseThrow();
        assertThat(List.of(first.baseUrl(), second.baseUrl())).containsExactlyInAnyOrder(a.baseUrl, b.baseUrl);
        first.close();
        second.close();

        String deadUrl = b.baseUrl;
        ProcessHandle.of(b.process.pid()).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                harness.registry.endpoints("vllm", "Qwen/Qwen2-0.5B-Instruct").size() == 1);
        assertThat(harness.registry.baseUrl("vllm", "Qwen/Qwen2-0.5B-Instruct")).contains(a.baseUrl).isNotEqualTo(deadUrl);
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);

        await().atMost(Duration.ofSeconds(10)).until(() -> b.status == RunStatus.RUNNING);
        assertThat(harness.registry.endpoints("vllm", "Qwen/Qwen2-0.5B-Instruct")).hasSize(2);
        assertThat(FakeEngineProcess.freePort()).isPositive();
    }
}

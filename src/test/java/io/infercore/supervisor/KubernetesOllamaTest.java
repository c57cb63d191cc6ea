package io.infercore.supervisor;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.infercore.support.FakeEngineProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ollama runs on the kubernetes backend, against the Kubernetes mock API server in CRUD mode (no
 * real cluster ran): the Deployment runs {@code ollama serve}, and once its Pod is Ready the
 * gateway pulls and loads the model in it before routing to it. The Pod's Ollama is the fake
 * Ollama 0.12 server on 127.0.0.1 (the Pod IP the test reports), on the port the settings give
 * Ollama Pods.
 */
class KubernetesOllamaTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private KubernetesMockServer server;
    private FakeEngineProcess ollama;
    private KubeGateway gateway;

    @BeforeEach
    void start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        ollama = FakeEngineProcess.ollama("nomic-embed-text:latest");
        gateway = new KubeGateway(server.createClient(), dir, Harness.settings(), true, ollama.port());
    }

    @AfterEach
    void stop() {
        gateway.close();
        ollama.close();
        server.destroy();
    }

    private static LaunchPlan ollamaPlan(String name, int nGpu) {
        return new LaunchPlan("ollama", RunMode.KUBERNETES, "llama3.2", "3B", "llm", name, name, null, null, null,
                nGpu, 1, null, Map.of("num_ctx", 4096), null);
    }

    @Test
    void should_run_ollama_serve_and_route_to_the_pod_once_the_model_is_pulled_and_loaded_in_it() throws Exception {
        LaunchPlan plan = ollamaPlan("llama3.2:latest", 1);
        ModelRun run = gateway.start(plan);

        Deployment d = gateway.deployment(run.id);
        Container engine = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(engine.getImage()).isEqualTo("ollama/ollama:0.12.6");
        assertThat(engine.getCommand()).containsExactly("ollama", "serve");
        Map<String, String> env = engine.getEnv().stream().collect(Collectors.toMap(EnvVar::getName,
                e -> String.valueOf(e.getValue())));
        assertThat(env).containsEntry("OLLAMA_HOST", "0.0.0.0:" + ollama.port())
                .containsEntry("OLLAMA_MODELS", "/models/ollama").containsEntry("OLLAMA_KEEP_ALIVE", "-1")
                .doesNotContainKey("HF_TOKEN");
        assertThat(engine.getPorts().get(0).getContainerPort()).isEqualTo(ollama.port());
        assertThat(engine.getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
        assertThat(engine.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/models"));
        for (var probe : List.of(engine.getReadinessProbe(), engine.getLivenessProbe(), engine.getStartupProbe())) {
            assertThat(probe.getHttpGet().getPath()).isEqualTo("/");
        }
        assertThat(ollama.stats().path("requests").path("/api/pull").asInt()).as("nothing sent before the Pod is Ready")
                .isZero();

        String pod = run.id + "-aaaaa";
        gateway.createPod(run.id, pod, Instant.now());
        gateway.running(pod, "127.0.0.1", true, 0);
        run.started.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(gateway.routes(plan)).containsExactly("http://127.0.0.1:" + ollama.port());
        assertThat(ollama.lastRequest("/api/pull").path("model").asText()).isEqualTo("llama3.2:latest");
        var load = ollama.lastRequest("/api/generate");
        assertThat(load.path("model").asText()).isEqualTo("llama3.2:latest");
        assertThat(load.path("keep_alive").asInt()).isEqualTo(-1);
        assertThat(load.path("options").path("num_ctx").asInt()).isEqualTo(4096);
        assertThat(run.events()).anyMatch(e -> e.contains("pulling and loading llama3.2:latest"));
    }

    @Test
    void should_fail_the_start_and_never_route_when_the_pod_cannot_pull_the_model() {
        LaunchPlan plan = ollamaPlan("no-such-model:latest", 0);
        ModelRun run = gateway.start(plan);
        Container engine = gateway.deployment(run.id).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(engine.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");

        String pod = run.id + "-aaaaa";
        gateway.createPod(run.id, pod, Instant.now());
        gateway.running(pod, "127.0.0.1", true, 0);
        assertThatThrownBy(() -> run.started.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("could not pull 'no-such-model:latest'")
                .hasMessageContaining("file does not exist");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(gateway.routes(plan)).isEmpty();
    }

    /**
     * deploy/k8s/samples/ollama-run.yaml is what the driver sends for an Ollama run with one GPU
     * (deploy/validate.sh checks it strictly). Regenerate it with {@code -Dsamples.update=true}.
     */
    @Test
    void should_send_the_deployment_of_the_committed_sample() throws Exception {
        // The supervisor.* defaults (InfercoreConfig.Supervisor) and Ollama's own port.
        KubeGateway g = new KubeGateway(server.createClient(), dir.resolve("sample"), new SupervisorSettings(
                Duration.ofSeconds(10), Duration.ofSeconds(5), 3, Duration.ofSeconds(180), Duration.ofMinutes(60),
                Duration.ofSeconds(15), 3, Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(60),
                SupervisorSettings.POLL_INTERVAL), true, 11434);
        try {
            ModelRun run = new ModelRun("ollama-0123456789ab", ollamaPlan("llama3.2:3b", 1),
                    Instant.parse("2026-01-01T00:00:00Z"));
            String yaml = "# Generated by KubernetesOllamaTest from the driver's own spec: the Deployment of an Ollama run\n"
                    + "# (n_gpu 1). Validated by deploy/validate.sh; not for kubectl apply.\n"
                    + io.fabric8.kubernetes.client.utils.Serialization.asYaml(
                            g.driver.workloads().deployment(g.driver.spec(run)));
            Path sample = Path.of("deploy/k8s/samples/ollama-run.yaml");
            if (Boolean.getBoolean("samples.update")) {
                java.nio.file.Files.writeString(sample, yaml);
            }
            assertThat(java.nio.file.Files.readString(sample)).as("regenerate with -Dsamples.update=true").isEqualTo(yaml);
        } finally {
            g.close();
        }
    }
}

package io.infercore.supervisor;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infercore.engine.EndpointRegistry;
import io.infercore.supervisor.kubernetes.KubernetesSettings;
import io.infercore.supervisor.kubernetes.RunWorkloads;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One gateway replica of the kubernetes backend wired without CDI, as the {@link Supervisor} bean
 * wires it: its own registry, run table and state file, its own client to the (mock) API server.
 * Several on one API server are several gateway replicas; one made after another closed is a
 * restart. Also plays the cluster's controllers, which the mock API server does not run: it makes
 * a Deployment's Pods and moves them through their states as the kubelet would report them.
 */
final class KubeGateway implements AutoCloseable {

    static final String NAMESPACE = "inference";
    static final int ENGINE_PORT = 8000;
    static final String HF_TOKEN = "hf_gatewaysecret123";
    static final String VLLM_KEY = "vllm-key-not-in-any-spec";
    static final String SGLANG_KEY = "sglang-key-not-in-any-spec";

    final KubernetesClient client;
    final EndpointRegistry registry = new EndpointRegistry();
    final KubernetesDriver driver;
    final RunTable table;

    KubeGateway(KubernetesClient client, Path dir) {
        this(client, dir, Harness.settings());
    }

    KubeGateway(KubernetesClient client, Path dir, SupervisorSettings settings) {
        this(client, dir, settings, true);
    }

    /** {@code reachable} false: the API server is not up yet (the first listing is not awaited). */
    KubeGateway(KubernetesClient client, Path dir, SupervisorSettings settings, boolean reachable) {
        this(client, dir, settings, reachable, 11434);
    }

    /** {@code ollamaPort}: where the Ollama of its Pods listens (a fake Ollama's port in tests). */
    KubeGateway(KubernetesClient client, Path dir, SupervisorSettings settings, boolean reachable, int ollamaPort) {
        this.client = client;
        KubernetesSettings k8s = new KubernetesSettings(NAMESPACE, Map.of("vllm", "vllm/vllm-openai:v0.11.0",
                "sglang", "lmsysorg/sglang:v0.5.4", "ollama", "ollama/ollama:0.12.6"), ENGINE_PORT, ollamaPort, "infercore-models", "/models", "infercore-secrets",
                "infercore-engine", settings.probeTimeout(), settings.healthInterval(), settings.unhealthyThreshold(),
                settings.startupTimeout(), settings.stopGrace());
        // The gateway's own environment holds the token: it must not reach a Pod spec.
        EngineCommands commands = new EngineCommands(List.of("vllm", "serve"), List.of("python3", "-m",
                "sglang.launch_server"), 0.9, null, dir.resolve("HF"), Map.of("HF_TOKEN", HF_TOKEN), VLLM_KEY, SGLANG_KEY);
        driver = new KubernetesDriver(client, k8s, settings, commands, Map.of("HUGGINGFACE_HUB_CACHE", "/models/HF"),
                "/models/ollama", registry);
        table = new RunTable(new RunStateStore(dir.resolve("runs/state.json")), Map.of(RunMode.KUBERNETES, driver),
                registry, dir.resolve("runs"));
        table.restore();
        if (!driver.open(table, Duration.ofSeconds(reachable ? 10 : 1)) && reachable) {
            throw new AssertionError("the mock API server did not list the runs");
        }
    }

    static LaunchPlan vllm(int nGpu, int replicas, Map<String, Object> args) {
        return new LaunchPlan("vllm", RunMode.KUBERNETES, "qwen2-0.5b", "0.5B", "llm", "Qwen/Qwen2-0.5B-Instruct",
                "Qwen/Qwen2-0.5B-Instruct", null, null, null, nGpu, replicas, null, args, null);
    }

    static LaunchPlan sglang() {
        return new LaunchPlan("sglang", RunMode.KUBERNETES, "qwen3-0.6b", "0.6B", "llm", "Qwen/Qwen3-0.6B",
                "Qwen/Qwen3-0.6B", null, null, null, 1, 1, null, Map.of(), null);
    }

    ModelRun start(LaunchPlan plan) {
        return table.start(plan, LaunchProgress.Sink.NONE);
    }

    Deployment deployment(String runId) {
        return client.apps().deployments().inNamespace(NAMESPACE).withName(runId).get();
    }

    /** What the ReplicaSet controller does: a Pod of the Deployment's template, Pending (no IP, not scheduled yet). */
    Pod createPod(String runId, String name, Instant created) {
        Deployment d = deployment(runId);
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
                .withCreationTimestamp(created.toString()).endMetadata()
                .withSpec(d.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Pending").endStatus().build();
        return client.pods().inNamespace(NAMESPACE).resource(pod).create();
    }

    /** What the kubelet reports: the engine container running, Ready or not (its readiness probe). */
    void running(String pod, String ip, boolean ready, int restarts) {
        client.pods().inNamespace(NAMESPACE).withName(pod).editStatus(p -> new PodBuilder(p).editStatus()
                .withPhase("Running").withPodIP(ip)
                .withConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Ready")
                        .withStatus(ready ? "True" : "False").build()))
                .withContainerStatuses(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                        .withName(RunWorkloads.CONTAINER).withReady(ready).withRestartCount(restarts)
                        .withNewState().withNewRunning().endRunning().endState().build())
                .endStatus().build());
    }

    /** What the kubelet reports for a container it cannot start or keep running. */
    void waiting(String pod, String reason, String message, int restarts) {
        client.pods().inNamespace(NAMESPACE).withName(pod).editStatus(p -> new PodBuilder(p).editStatus()
                .withPhase("Pending")
                .withConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Ready")
                        .withStatus("False").build()))
                .withContainerStatuses(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                        .withName(RunWorkloads.CONTAINER).withReady(false).withRestartCount(restarts)
                        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                        .build())
                .endStatus().build());
    }

    void deletePod(String pod) {
        client.pods().inNamespace(NAMESPACE).withName(pod).delete();
    }

    List<String> routes(LaunchPlan plan) {
        return registry.endpoints(plan.engineType(), plan.modelName()).stream().map(EndpointRegistry.Endpoint::baseUrl)
                .sorted().toList();
    }

    /** A gateway replica going away (on_shutdown=stop): its runs are the cluster's and stay. */
    @Override
    public void close() {
        table.shutdown(true);
    }
}

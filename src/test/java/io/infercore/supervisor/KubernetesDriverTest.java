package io.infercore.supervisor;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.infercore.engine.EndpointRegistry;
import io.infercore.supervisor.kubernetes.RunWorkloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The kubernetes backend against Fabric8's Kubernetes mock API server in CRUD mode (objects are
 * stored, listed and watched as by a real API server; no controller or kubelet runs, so the test
 * makes the Pods and reports their states itself, see {@link KubeGateway}). No real cluster ran.
 * Pod IPs are loopback addresses: nothing is ever sent to them here.
 */
class KubernetesDriverTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private KubernetesMockServer server;
    private final List<KubeGateway> gateways = new ArrayList<>();

    @BeforeEach
    void startApiServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stopApiServer() {
        gateways.forEach(KubeGateway::close);
        server.destroy();
    }

    private KubeGateway gateway(String name) {
        KubernetesClient client = server.createClient();
        KubeGateway g = new KubeGateway(client, dir.resolve(name));
        gateways.add(g);
        return g;
    }

    @Test
    void should_launch_one_deployment_with_the_engine_command_gpus_models_volume_secret_keys_and_probes() throws Exception {
        KubeGateway g = gateway("a");
        ModelRun run = g.start(KubeGateway.vllm(2, 3, Map.of("max_model_len", 4096, "enforce_eager", true)));

        Deployment d = g.deployment(run.id);
        assertThat(d).as("the run's Deployment, named by the run").isNotNull();
        assertThat(d.getMetadata().getLabels()).containsEntry(RunWorkloads.MANAGED_BY, "infercore")
                .containsEntry(RunWorkloads.RUN_ID, run.id).containsEntry(RunWorkloads.ENGINE, "vllm")
                .containsEntry(RunWorkloads.MODEL, "Qwen.Qwen2-0.5B-Instruct");
        assertThat(d.getMetadata().getAnnotations()).containsEntry(RunWorkloads.MODEL_NAME, "Qwen/Qwen2-0.5B-Instruct")
                .containsKey(RunWorkloads.PLAN);
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry(RunWorkloads.RUN_ID, run.id);
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(d.getSpec().getSelector()
                .getMatchLabels());

        Container engine = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(engine.getImage()).isEqualTo("vllm/vllm-openai:v0.11.0");
        assertThat(engine.getCommand()).containsExactly("vllm", "serve", "Qwen/Qwen2-0.5B-Instruct", "--host", "0.0.0.0",
                "--port", "8000", "--served-model-name", "Qwen/Qwen2-0.5B-Instruct", "--tensor-parallel-size", "2",
                "--gpu-memory-utilization", "0.9", "--download-dir", "/models/HF", "--enforce-eager",
                "--max-model-len", "4096");
        assertThat(engine.getResources().getLimits()).containsKey("nvidia.com/gpu");
        assertThat(engine.getResources().getLimits().get("nvidia.com/gpu").getAmount()).isEqualTo("2");
        assertThat(engine.getResources().getRequests().get("nvidia.com/gpu").getAmount()).isEqualTo("2");
        for (var probe : List.of(engine.getReadinessProbe(), engine.getLivenessProbe(), engine.getStartupProbe())) {
            assertThat(probe.getHttpGet().getPath()).isEqualTo("/health");
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        }
        assertThat(engine.getPorts().get(0).getContainerPort()).isEqualTo(8000);
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("models");
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("infercore-models");
        });
        assertThat(engine.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/models"));
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("infercore-engine");

        EnvVar token = engine.getEnv().stream().filter(e -> e.getName().equals("HF_TOKEN")).findFirst().orElseThrow();
        assertThat(token.getValue()).isNull();
        assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("infercore-secrets");
        assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("HF_TOKEN");
        assertThat(engine.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("VLLM_API_KEY");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("VLLM_API_KEY");
        });
        String whole = Serialization.asYaml(d);
        assertThat(whole).doesNotContain(KubeGateway.HF_TOKEN).doesNotContain(KubeGateway.VLLM_KEY);

        assertThat(run.status()).isEqualTo(RunStatus.STARTING);
        assertThat(run.view(g.registry).mode()).isEqualTo(RunMode.KUBERNETES);
    }

    @Test
    void should_pass_the_sglang_key_through_a_secret_reference_the_kubelet_expands() {
        KubeGateway g = gateway("a");
        ModelRun run = g.start(KubeGateway.sglang());
        Container engine = g.deployment(run.id).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(engine.getImage()).isEqualTo("lmsysorg/sglang:v0.5.4");
        assertThat(engine.getCommand()).containsSequence("python3", "-m", "sglang.launch_server", "--model-path",
                "Qwen/Qwen3-0.6B").containsSequence("--host", "0.0.0.0").containsSequence("--api-key", "$(SGLANG_API_KEY)");
        assertThat(engine.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("SGLANG_API_KEY");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("SGLANG_API_KEY");
        });
        assertThat(engine.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health_generate");
        assertThat(Serialization.asYaml(g.deployment(run.id))).doesNotContain(KubeGateway.SGLANG_KEY);
    }

    @Test
    void should_follow_pod_readiness_into_the_run_status_and_its_routes() throws Exception {
        KubeGateway g = gateway("a");
        LaunchPlan plan = KubeGateway.vllm(1, 2, Map.of());
        ModelRun run = g.start(plan);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        g.createPod(run.id, run.id + "-aaaaa", t);
        g.createPod(run.id, run.id + "-bbbbb", t.plusSeconds(1));
        // Both Pods exist (each replica has one, no longer "no Pod yet"), neither is Ready.
        await().atMost(WAIT).until(() -> run.replicas.stream().allMatch(r -> r.lastError == null));
        assertThat(run.replicas).allMatch(r -> r.status == RunStatus.STARTING);
        assertThat(g.routes(plan)).isEmpty();

        g.running(run.id + "-aaaaa", "127.0.0.2", true, 0);
        await().atMost(WAIT).until(() -> run.replicas.get(0).status == RunStatus.RUNNING);
        assertThat(run.status()).as("serving as soon as one replica is").isEqualTo(RunStatus.RUNNING);
        assertThat(run.started).as("the start waits for every replica").isNotDone();
        assertThat(g.routes(plan)).containsExactly("http://127.0.0.2:8000");

        g.running(run.id + "-bbbbb", "127.0.0.3", false, 0);
        g.running(run.id + "-bbbbb", "127.0.0.3", true, 0);
        run.started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(g.routes(plan)).containsExactly("http://127.0.0.2:8000", "http://127.0.0.3:8000");
        RunView view = run.view(g.registry);
        assertThat(view.replicas()).extracting(RunView.ReplicaView::baseUrl)
                .containsExactly("http://127.0.0.2:8000", "http://127.0.0.3:8000");
    }

    @Test
    void should_fail_over_to_the_other_replica_when_one_dies_and_take_it_back_when_ready_again() throws Exception {
        KubeGateway g = gateway("a");
        LaunchPlan plan = KubeGateway.vllm(1, 2, Map.of());
        ModelRun run = g.start(plan);
        String a = run.id + "-aaaaa";
        String b = run.id + "-bbbbb";
        g.createPod(run.id, a, Instant.parse("2026-01-01T00:00:00Z"));
        g.createPod(run.id, b, Instant.parse("2026-01-01T00:00:01Z"));
        g.running(a, "127.0.0.2", true, 0);
        g.running(b, "127.0.0.3", true, 0);
        run.started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(picks(g, plan, 4)).containsOnly("http://127.0.0.2:8000", "http://127.0.0.3:8000");

        // The engine in Pod a crashes: the kubelet restarts the container, the Pod is not Ready meanwhile.
        g.running(a, "127.0.0.2", false, 1);
        await().atMost(WAIT).until(() -> run.replicas.get(0).status == RunStatus.UNHEALTHY);
        assertThat(run.replicas.get(0).restartCount).isEqualTo(1);
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(picks(g, plan, 4)).containsOnly("http://127.0.0.3:8000");

        // Pod b's node goes away: the ReplicaSet replaces the Pod; the new one starts with a new IP.
        g.deletePod(b);
        g.createPod(run.id, run.id + "-ccccc", Instant.parse("2026-01-01T00:05:00Z"));
        await().atMost(WAIT).until(() -> run.replicas.get(1).status == RunStatus.STARTING);
        assertThat(g.routes(plan)).isEmpty();
        assertThat(run.status()).isEqualTo(RunStatus.STARTING);

        g.running(a, "127.0.0.2", true, 1);
        g.running(run.id + "-ccccc", "127.0.0.4", true, 0);
        await().atMost(WAIT).until(() -> g.routes(plan).size() == 2);
        assertThat(g.routes(plan)).containsExactly("http://127.0.0.2:8000", "http://127.0.0.4:8000");
        assertThat(run.events()).anyMatch(e -> e.contains("replica 1 (Pod " + run.id + "-ccccc): running at http://127.0.0.4:8000"));
    }

    @Test
    void should_keep_a_replica_a_request_found_dead_out_of_routing_until_the_watch_shows_its_pod_changed() throws Exception {
        KubeGateway g = gateway("a");
        LaunchPlan plan = KubeGateway.vllm(1, 2, Map.of());
        ModelRun run = g.start(plan);
        String a = run.id + "-aaaaa";
        String b = run.id + "-bbbbb";
        g.createPod(run.id, a, Instant.parse("2026-01-01T00:00:00Z"));
        g.createPod(run.id, b, Instant.parse("2026-01-01T00:00:01Z"));
        g.running(a, "127.0.0.2", true, 0);
        g.running(b, "127.0.0.3", true, 0);
        run.started.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // A request's connection to Pod a is refused: its engine died, the watch does not know yet.
        List<EndpointRegistry.Lease> leases = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            g.registry.acquire(plan.engineType(), plan.modelName()).ifPresent(leases::add);
        }
        EndpointRegistry.Lease onA = leases.stream().filter(l -> l.baseUrl().equals("http://127.0.0.2:8000"))
                .findFirst().orElseThrow();
        g.registry.markDown(onA);
        leases.forEach(EndpointRegistry.Lease::close);
        assertThat(g.routes(plan)).containsExactly("http://127.0.0.3:8000");

        g.table.checkHealth(); // the periodic check re-applies the watch, which still shows Pod a Ready
        g.running(b, "127.0.0.3", true, 1); // and a change of the other Pod
        await().atMost(WAIT).until(() -> run.replicas.get(1).restartCount == 1);
        assertThat(g.routes(plan)).as("still down: the watch has not said otherwise").containsExactly("http://127.0.0.3:8000");

        // The kubelet restarts the engine in Pod a: not Ready, then Ready again.
        g.running(a, "127.0.0.2", false, 1);
        await().atMost(WAIT).until(() -> run.replicas.get(0).status == RunStatus.UNHEALTHY);
        g.running(a, "127.0.0.2", true, 1);
        await().atMost(WAIT).until(() -> g.routes(plan).size() == 2);
        assertThat(g.routes(plan)).containsExactly("http://127.0.0.2:8000", "http://127.0.0.3:8000");
        assertThat(g.registry.isDown("http://127.0.0.2:8000")).isFalse();
    }

    @Test
    void should_fail_the_start_when_the_image_cannot_be_pulled() {
        KubeGateway g = gateway("a");
        ModelRun run = g.start(KubeGateway.vllm(1, 1, Map.of()));
        g.createPod(run.id, run.id + "-aaaaa", Instant.now());
        g.waiting(run.id + "-aaaaa", "ImagePullBackOff", "Back-off pulling image \"vllm/vllm-openai:v0.11.0\"", 0);
        assertThatThrownBy(() -> run.started.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("ImagePullBackOff")
                .hasMessageContaining("Back-off pulling image");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.reason).contains("replica 0 failed to start");
    }

    @Test
    void should_delete_the_deployment_on_stop_and_every_gateway_forgets_the_run() {
        KubeGateway a = gateway("a");
        KubeGateway b = gateway("b");
        LaunchPlan plan = KubeGateway.vllm(1, 1, Map.of());
        ModelRun run = a.start(plan);
        await().atMost(WAIT).until(() -> b.table.get(run.id).isPresent());

        a.table.stop(run.id);
        assertThat(a.deployment(run.id)).isNull();
        assertThat(a.table.get(run.id)).isEmpty();
        await().atMost(WAIT).until(() -> b.table.get(run.id).isEmpty());
    }

    @Test
    void should_share_one_run_between_two_gateway_replicas() throws Exception {
        KubeGateway a = gateway("a");
        KubeGateway b = gateway("b");
        LaunchPlan plan = KubeGateway.vllm(1, 1, Map.of("max_model_len", 2048));
        ModelRun run = a.start(plan);
        await().atMost(WAIT).until(() -> b.table.get(run.id).isPresent());
        ModelRun seen = b.table.get(run.id).orElseThrow();
        assertThat(seen.plan).isEqualTo(plan);
        assertThat(seen.createdAt).isEqualTo(run.createdAt);

        a.createPod(run.id, run.id + "-aaaaa", Instant.now());
        a.running(run.id + "-aaaaa", "127.0.0.2", true, 0);
        run.started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        seen.started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(a.routes(plan)).containsExactly("http://127.0.0.2:8000");
        assertThat(b.routes(plan)).containsExactly("http://127.0.0.2:8000");

        assertThat(b.start(plan)).as("the same launch again, through the other gateway: the run that serves it")
                .isSameAs(seen);
        assertThatThrownBy(() -> b.start(KubeGateway.vllm(1, 2, Map.of("max_model_len", 2048))))
                .as("the same model with other parameters").hasMessageContaining("already serves")
                .hasMessageContaining(run.id);
        assertThat(a.client.apps().deployments().inNamespace(KubeGateway.NAMESPACE).list().getItems()).hasSize(1);

        b.table.stop(run.id);
        await().atMost(WAIT).until(() -> a.table.get(run.id).isEmpty());
        assertThat(a.routes(plan)).isEmpty();
    }

    @Test
    void should_readopt_every_run_after_a_gateway_restart_and_keep_them_out_of_the_state_file() throws Exception {
        KubeGateway first = gateway("gw");
        LaunchPlan plan = KubeGateway.vllm(1, 2, Map.of());
        ModelRun run = first.start(plan);
        first.createPod(run.id, run.id + "-aaaaa", Instant.parse("2026-01-01T00:00:00Z"));
        first.createPod(run.id, run.id + "-bbbbb", Instant.parse("2026-01-01T00:00:01Z"));
        first.running(run.id + "-aaaaa", "127.0.0.2", true, 2);
        first.running(run.id + "-bbbbb", "127.0.0.3", true, 0);
        run.started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        first.close(); // with supervisor.on_shutdown=stop: the cluster's runs are not the gateway's to stop
        gateways.remove(first);
        assertThat(first.deployment(run.id)).isNotNull();
        Path state = dir.resolve("gw/runs/state.json");
        assertThat(!Files.exists(state) || !Files.readString(state).contains(run.id)).isTrue();

        KubeGateway restarted = gateway("gw");
        ModelRun adopted = restarted.table.get(run.id).orElseThrow();
        adopted.started.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(adopted.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(adopted.plan).isEqualTo(plan);
        assertThat(adopted.replicas.get(0).restartCount).isEqualTo(2);
        assertThat(restarted.routes(plan)).containsExactly("http://127.0.0.2:8000", "http://127.0.0.3:8000");
        assertThat(adopted.events()).anyMatch(e -> e.contains("adopted from Deployment inference/" + run.id));
    }

    @Test
    void should_adopt_the_runs_once_an_api_server_that_was_down_at_start_up_answers() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        KubernetesClient early = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port)
                        .withNamespace(KubeGateway.NAMESPACE).build()).build();
        KubeGateway g = new KubeGateway(early, dir.resolve("early"), Harness.settings(), false);
        gateways.add(g);

        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer late = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        late.init(InetAddress.getByName("127.0.0.1"), port);
        try {
            KubeGateway other = new KubeGateway(late.createClient(), dir.resolve("other"));
            gateways.add(other);
            ModelRun run = other.start(KubeGateway.vllm(1, 1, Map.of()));
            await().atMost(Duration.ofSeconds(60)).until(() -> g.table.get(run.id).isPresent());
        } finally {
            gateways.forEach(KubeGateway::close);
            gateways.clear();
            late.destroy();
        }
    }

    @Test
    void should_read_engine_logs_from_the_pod() {
        KubeGateway g = gateway("a");
        ModelRun run = g.start(KubeGateway.vllm(1, 1, Map.of()));
        String pod = run.id + "-aaaaa";
        g.createPod(run.id, pod, Instant.now());
        await().atMost(WAIT).until(() -> run.replicas.get(0).lastError == null
                || !run.replicas.get(0).lastError.equals("no Pod yet"));
        server.expect().get().withPath("/api/v1/namespaces/inference/pods/" + pod + "/log?pretty=false&container=engine&tailLines=2")
                .andReturn(200, "INFO Loading weights took 3.1 s\nINFO Application startup complete.\n").always();
        assertThat(g.table.logs(run, run.replicas.get(0), 2))
                .containsExactly("INFO Loading weights took 3.1 s", "INFO Application startup complete.");
    }

    /**
     * deploy/k8s/samples/vllm-run.yaml is what the driver sends for a 2-GPU, 2-replica vLLM run
     * (deploy/validate.sh checks it against the Kubernetes schemas, strictly). Regenerate it with
     * {@code -Dsamples.update=true} after changing the spec.
     */
    @Test
    void should_send_the_deployment_of_the_committed_sample() throws Exception {
        // The supervisor.* defaults (InfercoreConfig.Supervisor), which the probes follow.
        KubeGateway g = new KubeGateway(server.createClient(), dir.resolve("sample"), new SupervisorSettings(
                Duration.ofSeconds(10), Duration.ofSeconds(5), 3, Duration.ofSeconds(180), Duration.ofMinutes(60),
                Duration.ofSeconds(15), 3, Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(60),
                SupervisorSettings.POLL_INTERVAL));
        gateways.add(g);
        ModelRun run = new ModelRun("vllm-0123456789ab", KubeGateway.vllm(2, 2, Map.of("max_model_len", 8192)),
                Instant.parse("2026-01-01T00:00:00Z"));
        String yaml = "# Generated by KubernetesDriverTest from the driver's own spec: the Deployment of a vLLM run\n"
                + "# (n_gpu 2, replicas 2, max_model_len 8192). Validated by deploy/validate.sh; not for kubectl apply.\n"
                + Serialization.asYaml(g.driver.workloads().deployment(g.driver.spec(run)));
        Path sample = Path.of("deploy/k8s/samples/vllm-run.yaml");
        if (Boolean.getBoolean("samples.update")) {
            Files.createDirectories(sample.getParent());
            Files.writeString(sample, yaml);
        }
        assertThat(Files.readString(sample)).as("regenerate with -Dsamples.update=true").isEqualTo(yaml);
    }

    /** The base URLs {@code n} concurrent requests are given (leases held, as by streams in flight). */
    private static List<String> picks(KubeGateway g, LaunchPlan plan, int n) {
        List<EndpointRegistry.Lease> leases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            g.registry.acquire(plan.engineType(), plan.modelName()).ifPresent(leases::add);
        }
        List<String> urls = leases.stream().map(EndpointRegistry.Lease::baseUrl).toList();
        leases.forEach(EndpointRegistry.Lease::close);
        return urls;
    }
}

package io.infercore.api;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.infercore.support.FakeEngineProcess;
import io.infercore.support.JvmFakeVllm;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service with {@code supervisor.backend=kubernetes} against the Kubernetes mock API
 * server in CRUD mode ({@code @WithKubernetesTestServer}; no real cluster ran): the start API
 * creates the run's Deployment, the Pods the test reports Ready become the run's replicas, chat
 * requests reach the engine in a Pod (two fake vLLM 0.11 servers on 127.0.0.2 and 127.0.0.3
 * stand for the Pod IPs), a Pod that dies and turns not Ready is failed over, and stop deletes
 * the Deployment. An Ollama run: its Pod (the fake Ollama 0.12 server at 127.0.0.1) gets the pull
 * and load, then the run's chats.
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(KubernetesBackendTest.Profile.class)
@WithTestResource(value = KubernetesBackendTest.PodEngines.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class KubernetesBackendTest {

    static final String NAMESPACE = "inference";
    static final String MODEL = "Qwen/Qwen2-0.5B-Instruct";

    public static final class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("infercore.supervisor.backend", "kubernetes",
                    "infercore.supervisor.kubernetes.namespace", NAMESPACE);
        }
    }

    /**
     * Two fake vLLM servers on one port of two loopback addresses, as the engines of two Pods, and
     * the fake Ollama 0.12 server on 127.0.0.1 as the engine of an Ollama Pod.
     */
    public static final class PodEngines implements QuarkusTestResourceLifecycleManager {
        static JvmFakeVllm a;
        static JvmFakeVllm b;
        static FakeEngineProcess ollama;

        @Override
        public Map<String, String> start() {
            try {
                int port;
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
                    port = s.getLocalPort();
                }
                a = JvmFakeVllm.start(MODEL, 1, "127.0.0.2", port);
                b = JvmFakeVllm.start(MODEL, 1, "127.0.0.3", port);
                ollama = FakeEngineProcess.ollama("nomic-embed-text:latest");
                return Map.of("infercore.supervisor.kubernetes.engine_port", String.valueOf(port),
                        "infercore.supervisor.kubernetes.ollama_port", String.valueOf(ollama.port()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            if (ollama != null) {
                ollama.close();
            }
        }
    }

    @KubernetesTestServer
    KubernetesServer mockServer;

    @Test
    void should_launch_a_deployment_route_to_its_ready_pods_fail_over_and_delete_it_on_stop() {
        JsonPath started = SupervisorApiTest.post("/api/v1/models/start",
                "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\",\"replicas\":2,\"n_gpu\":1}")
                .then().statusCode(200).extract().jsonPath();
        String runId = started.getString("data.run_id");
        assertThat(started.getString("data.mode")).isEqualTo("kubernetes");
        assertThat(started.getString("data.status")).isEqualTo("starting");
        KubernetesClient client = mockServer.getClient();
        Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(runId).get();
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
                .containsSequence("vllm", "serve", MODEL).containsSequence("--port", String.valueOf(PodEngines.a.port()));

        pod(client, d, runId + "-aaaaa", "127.0.0.2", Instant.parse("2026-01-01T00:00:00Z"));
        pod(client, d, runId + "-bbbbb", "127.0.0.3", Instant.parse("2026-01-01T00:00:01Z"));
        ready(client, runId + "-aaaaa", true, 0);
        ready(client, runId + "-bbbbb", true, 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> SupervisorApiTest.run(runId)
                .getList("data.replicas.status", String.class).equals(List.of("running", "running")));
        assertThat(SupervisorApiTest.run(runId).getList("data.replicas.base_url", String.class)).containsExactly(
                "http://127.0.0.2:" + PodEngines.a.port(), "http://127.0.0.3:" + PodEngines.a.port());

        assertThat(chat(runId)).contains("alpha");
        assertThat(PodEngines.a.streamsCompleted() + PodEngines.b.streamsCompleted()).isEqualTo(1);

        // The engine in Pod a dies; the kubelet's readiness probe fails and the Pod turns not Ready.
        PodEngines.a.close();
        long servedByB = PodEngines.b.streamsCompleted();
        ready(client, runId + "-aaaaa", false, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "unhealthy".equals(
                SupervisorApiTest.run(runId).getString("data.replicas[0].status")));
        JsonPath run = SupervisorApiTest.run(runId);
        assertThat(run.getString("data.status")).isEqualTo("running");
        assertThat(run.getInt("data.replicas[0].restarts")).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            assertThat(chat(runId)).contains("alpha");
        }
        assertThat(PodEngines.b.streamsCompleted()).isEqualTo(servedByB + 3);

        SupervisorApiTest.post("/api/v1/models/running/" + runId + "/stop", "").then().statusCode(200);
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName(runId).get()).isNull();
        io.restassured.RestAssured.given().get("/api/v1/models/running/" + runId).then().statusCode(404);
    }

    @Test
    void should_run_an_ollama_model_in_a_pod_and_route_its_requests_there() {
        JsonPath started = SupervisorApiTest.post("/api/v1/models/start",
                "{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"ollama\",\"n_gpu\":1}")
                .then().statusCode(200).extract().jsonPath();
        String runId = started.getString("data.run_id");
        assertThat(started.getString("data.mode")).isEqualTo("kubernetes");
        KubernetesClient client = mockServer.getClient();
        Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(runId).get();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand()).containsExactly("ollama", "serve");

        pod(client, d, runId + "-ooooo", "127.0.0.1", Instant.parse("2026-01-01T00:00:00Z"));
        ready(client, runId + "-ooooo", true, 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(SupervisorApiTest.run(runId)
                .getString("data.status")));
        assertThat(PodEngines.ollama.lastRequest("/api/pull").path("model").asText()).isEqualTo("qwen2:0.5b");

        chat(runId);
        assertThat(PodEngines.ollama.stats().path("requests").path("/api/chat").asInt())
                .as("the chat reached the Ollama in the Pod").isEqualTo(1);

        SupervisorApiTest.post("/api/v1/models/running/" + runId + "/stop", "").then().statusCode(200);
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName(runId).get()).isNull();
    }

    private static String chat(String runId) {
        Response r = SupervisorApiTest.post("/api/v1/llm/chat", "{\"run_id\":\"" + runId + "\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"Say something\"}],\"max_tokens\":3,\"stream\":true}");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.asString()).as(r.asString()).contains("event: done");
        return r.asString();
    }

    private static void pod(KubernetesClient client, Deployment d, String name, String ip, Instant created) {
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace(NAMESPACE).withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
                .withCreationTimestamp(created.toString()).endMetadata()
                .withSpec(d.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Pending").withPodIP(ip).endStatus().build()).create();
    }

    private static void ready(KubernetesClient client, String name, boolean ready, int restarts) {
        client.pods().inNamespace(NAMESPACE).withName(name).editStatus(p -> new PodBuilder(p).editStatus()
                .withPhase("Running")
                .withConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                        .build()))
                .withContainerStatuses(new ContainerStatusBuilder().withName("engine").withReady(ready)
                        .withRestartCount(restarts).withNewState().withNewRunning().endRunning().endState().build())
                .endStatus().build());
    }
}

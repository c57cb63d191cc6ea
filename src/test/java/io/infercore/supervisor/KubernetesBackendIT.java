package io.infercore.supervisor;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged application (the jar in {@code ./mvnw verify}, the native executable with
 * {@code -Dnative}) with {@code supervisor.backend=kubernetes} against the Fabric8 Kubernetes mock
 * API server in CRUD mode, through the REST API: a start creates the run's Deployment, the gateway's
 * informers read it and its Pods back (a waiting Pod's reason, then the Pod Ready at its IP), the
 * run is listed, and a stop deletes the Deployment. In the native executable this proves that the
 * Fabric8 model classes registered for reflection ({@code KubernetesReflection}) are enough for what
 * the client writes and reads.
 */
@QuarkusIntegrationTest
@WithTestResource(value = KubernetesBackendIT.MockApiServer.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class KubernetesBackendIT {

    static final String NAMESPACE = "inference";

    /** The mock API server (CRUD mode, plain HTTP), and the configuration that points the application at it. */
    public static final class MockApiServer implements QuarkusTestResourceLifecycleManager {
        static KubernetesServer server;

        @Override
        public Map<String, String> start() {
            server = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
            server.before();
            return Map.of("infercore.supervisor.backend", "kubernetes",
                    "infercore.supervisor.kubernetes.namespace", NAMESPACE,
                    "kubernetes.master", server.getClient().getConfiguration().getMasterUrl(),
                    "kubernetes.trust.certificates", "true",
                    "kubernetes.auth.tryKubeConfig", "false",
                    "kubernetes.auth.tryServiceAccount", "false",
                    "http2.disable", "true");
        }

        @Override
        public void stop() {
            if (server != null) {
                server.after();
            }
        }
    }

    @Test
    void should_start_list_and_stop_a_run_as_a_deployment() {
        JsonPath started = given().contentType(ContentType.JSON)
                .body("{\"model_id\":\"qwen2-0.5b\",\"engine_type\":\"vllm\",\"n_gpu\":1}")
                .post("/api/v1/models/start").then().statusCode(200).extract().jsonPath();
        String runId = started.getString("data.run_id");
        assertThat(started.getString("data.mode")).isEqualTo("kubernetes");
        KubernetesClient client = MockApiServer.server.getClient();
        Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(runId).get();
        assertThat(d).as("the run's Deployment in the API server").isNotNull();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
                .containsSequence("vllm", "serve", "Qwen/Qwen2-0.5B-Instruct");

        // The kubelet's reports, as the mock server runs no controllers: the Pod waits for its image...
        String pod = runId + "-aaaaa";
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(pod)
                .withNamespace(NAMESPACE).withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
                .withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata()
                .withSpec(d.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Pending").withPodIP("127.0.0.9")
                .withContainerStatuses(new ContainerStatusBuilder().withName("engine").withReady(false).withRestartCount(0)
                        .withNewState().withNewWaiting().withReason("ContainerCreating").withMessage("pulling the image")
                        .endWaiting().endState().build())
                .endStatus().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(run(runId).getString("data.replicas[0].last_error"))
                .isEqualTo("Pod " + pod + " ContainerCreating: pulling the image"));
        // ... then runs and turns Ready: the replica serves at the Pod's IP.
        client.pods().inNamespace(NAMESPACE).withName(pod).editStatus(p -> new PodBuilder(p).editStatus()
                .withPhase("Running")
                .withConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").build()))
                .withContainerStatuses(new ContainerStatusBuilder().withName("engine").withReady(true).withRestartCount(0)
                        .withNewState().withNewRunning().endRunning().endState().build())
                .endStatus().build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(run(runId).getString("data.status"))
                .isEqualTo("running"));
        assertThat(run(runId).getList("data.replicas.base_url", String.class)).containsExactly(
                "http://127.0.0.9:" + d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0)
                        .getContainerPort());

        JsonPath listed = given().get("/api/v1/models/running").then().statusCode(200).extract().jsonPath();
        assertThat(listed.getList("data.run_id", String.class)).contains(runId);
        assertThat(listed.getList("data.findAll { it.run_id == '" + runId + "' }.mode", String.class))
                .containsExactly("kubernetes");

        given().contentType(ContentType.JSON).body("").post("/api/v1/models/running/" + runId + "/stop")
                .then().statusCode(200);
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName(runId).get()).isNull();
        given().get("/api/v1/models/running/" + runId).then().statusCode(404);
        assertThat(given().get("/api/v1/models/running").then().statusCode(200).extract().jsonPath()
                .getList("data.run_id", String.class)).doesNotContain(runId);
    }

    private static JsonPath run(String runId) {
        return given().get("/api/v1/models/running/" + runId).then().statusCode(200).extract().jsonPath();
    }
}

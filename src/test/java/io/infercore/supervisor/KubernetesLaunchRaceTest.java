package io.infercore.supervisor;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.supervisor.kubernetes.RunWorkloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway replicas launching the same model at the same moment, against one Kubernetes mock
 * API server in CRUD mode (which refuses a second create of a name with 409 AlreadyExists, as a
 * real API server does; no real cluster ran): exactly one Deployment results, both gateways
 * answer with the same run, and none answers with a server error.
 */
class KubernetesLaunchRaceTest {

    private static final int ROUNDS = 20;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private KubernetesMockServer server;
    private final List<KubeGateway> gateways = new ArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @BeforeEach
    void startApiServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stopApiServer() {
        threads.shutdownNow();
        gateways.forEach(KubeGateway::close);
        server.destroy();
    }

    private KubeGateway gateway(String name) {
        KubeGateway g = new KubeGateway(server.createClient(), dir.resolve(name));
        gateways.add(g);
        return g;
    }

    private static LaunchPlan plan(String model, int replicas) {
        return new LaunchPlan("vllm", RunMode.KUBERNETES, "qwen2-0.5b", "0.5B", "llm", model, model, null, null, null,
                1, replicas, null, Map.of("max_model_len", 2048), null);
    }

    /** Both gateways' outcomes of launching {@code pa} on {@code a} and {@code pb} on {@code b} at once. */
    private List<Object> race(KubeGateway a, LaunchPlan pa, KubeGateway b, LaunchPlan pb) throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> launch(together, a, pa), threads);
        CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> launch(together, b, pb), threads);
        return List.of(first.get(WAIT.toSeconds(), TimeUnit.SECONDS), second.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    private static Object launch(CyclicBarrier together, KubeGateway g, LaunchPlan plan) {
        try {
            together.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            return g.start(plan);
        } catch (RuntimeException e) {
            return e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long deployments(String runId) {
        return server.createClient().apps().deployments().inNamespace(KubeGateway.NAMESPACE)
                .withLabel(RunWorkloads.RUN_ID, runId).list().getItems().size();
    }

    @Test
    void should_make_one_run_when_two_gateways_launch_the_same_model_at_once() throws Exception {
        KubeGateway a = gateway("a");
        KubeGateway b = gateway("b");
        for (int round = 0; round < ROUNDS; round++) {
            LaunchPlan plan = plan("org/model-" + round, 2);
            List<Object> outcomes = race(a, plan, b, plan);
            assertThat(outcomes).as("round %d: both gateways answer with a run", round).allMatch(o -> o instanceof ModelRun);
            ModelRun fromA = (ModelRun) outcomes.get(0);
            ModelRun fromB = (ModelRun) outcomes.get(1);
            assertThat(fromB.id).as("round %d: the same run", round).isEqualTo(fromA.id);
            assertThat(fromB.plan).isEqualTo(fromA.plan);
            assertThat(deployments(fromA.id)).as("round %d: one Deployment", round).isEqualTo(1);
            assertThat(a.table.get(fromA.id)).containsSame(fromA);
            assertThat(b.table.get(fromA.id)).containsSame(fromB);
        }
        assertThat(server.createClient().apps().deployments().inNamespace(KubeGateway.NAMESPACE).list().getItems())
                .hasSize(ROUNDS);
    }

    @Test
    void should_answer_409_to_the_gateway_that_lost_with_other_parameters() throws Exception {
        KubeGateway a = gateway("a");
        KubeGateway b = gateway("b");
        for (int round = 0; round < ROUNDS; round++) {
            String model = "org/other-" + round;
            List<Object> outcomes = race(a, plan(model, 1), b, plan(model, 2));
            List<Object> runs = outcomes.stream().filter(o -> o instanceof ModelRun).toList();
            List<Object> refused = outcomes.stream().filter(o -> !(o instanceof ModelRun)).toList();
            assertThat(runs).as("round %d: one launch happens", round).hasSize(1);
            assertThat(refused).as("round %d", round).singleElement().isInstanceOfSatisfying(InfercoreException.class,
                    e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                        assertThat(e.getMessage()).contains("already serves '" + model + "'")
                                .contains(((ModelRun) runs.get(0)).id);
                    });
            assertThat(deployments(((ModelRun) runs.get(0)).id)).isEqualTo(1);
        }
    }

    @Test
    void should_launch_the_same_model_again_after_a_stop() throws Exception {
        KubeGateway a = gateway("a");
        KubeGateway b = gateway("b");
        LaunchPlan plan = plan("org/again", 1);
        ModelRun first = a.start(plan);
        await().atMost(WAIT).until(() -> b.table.get(first.id).isPresent());
        a.table.stop(first.id);
        assertThat(a.table.get(first.id)).isEmpty();
        await().atMost(WAIT).until(() -> b.table.get(first.id).isEmpty());
        ModelRun second = b.start(plan);
        assertThat(second.id).isEqualTo(first.id);
        assertThat(second).isNotSameAs(first);
        assertThat(deployments(second.id)).isEqualTo(1);
        await().atMost(WAIT).until(() -> a.table.get(second.id).isPresent());
        assertThat(b.table.get(second.id)).containsSame(second);
    }
}

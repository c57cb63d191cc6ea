package io.infercore.supervisor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * One engine's part of its runs' Kubernetes Deployments ({@code supervisor.backend=kubernetes}):
 * the container's image, command line, environment and health route, and what must happen in a
 * Ready Pod before it is routed to. {@code KubernetesDriver} does the rest (the Deployment, GPUs,
 * volumes, probes, the watch). Made by the engine's {@link EngineLauncher#podTemplate}.
 */
public interface PodTemplate {

    /** The container image. */
    String image();

    /** The route the kubelet probes (startup, liveness, readiness): answers 200 once the engine serves. */
    String probePath();

    /** The container's command line (no shell), listening on all interfaces at {@code port}. */
    List<String> command(LaunchPlan plan, int port);

    /** The container's plain environment. */
    Map<String, String> env(LaunchPlan plan, int port);

    /** Variables the container takes from the Secret: variable name → key in the Secret. */
    Map<String, String> secretEnv(LaunchPlan plan);

    /**
     * What the gateway does in each Pod once it is Ready, before routing to it; null (the
     * default): a Ready Pod is routed to at once. Called once per driver.
     *
     * @param workers the driver's threads, for the work in the background
     * @param timeout the start's budget: the longest the work may take
     */
    default PodPreparation preparation(ExecutorService workers, Duration timeout) {
        return null;
    }
}

package io.infercore.supervisor.kubernetes;

import java.time.Instant;
import java.util.List;

/**
 * A run as the cluster shows it: its Deployment (the launch plan it carries, the replicas asked
 * for, a rollout problem) and its Pods in replica order (oldest first, terminating ones left out).
 *
 * @param problem the Deployment's own failure (a {@code ReplicaFailure} condition, a rollout past its
 *                deadline); null when none
 */
public record ObservedRun(String runId, String planJson, Instant createdAt, int replicas, List<ObservedPod> pods,
                          String problem) {

    public ObservedRun {
        pods = List.copyOf(pods);
    }

    /**
     * One Pod of a run.
     *
     * @param ready    the kubelet's {@code Ready} condition: the engine's readiness probe passes
     * @param waiting  why the engine container is not running ({@code ContainerCreating},
     *                 {@code CrashLoopBackOff}, {@code ImagePullBackOff}, ... or {@code Unschedulable}); null when running
     * @param message  what the cluster says about it (scheduler message, last exit), null when nothing
     */
    public record ObservedPod(String name, String ip, boolean ready, String phase, int restarts, String waiting,
                              String message, Instant createdAt) {
    }
}

package io.infercore.supervisor;

import io.infercore.engine.EndpointRegistry;
import io.infercore.engine.ollama.OllamaEngine;
import io.infercore.supervisor.kubernetes.KubernetesSettings;
import io.infercore.supervisor.kubernetes.ObservedRun;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A Kubernetes run's replicas as its Pods show them ({@link KubernetesDriver} feeds it what the
 * watch holds): each Pod keeps a replica slot while it lives, a Ready Pod is a running replica
 * routed to at {@code http://<pod IP>:<engine port>} (an Ollama Pod once its model is pulled and
 * loaded, {@link KubernetesOllama}), a Pod failing its probes or crash-looping is unhealthy or
 * restarting, and one the kubelet cannot start is failed.
 */
final class KubernetesReplicas {

    /** Waiting reasons the kubelet does not get past by retrying: the run failed. */
    private static final java.util.Set<String> FATAL = java.util.Set.of("ErrImagePull", "ImagePullBackOff",
            "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");
    /**
     * The Pod each routed endpoint was last seen as: an endpoint a request found dead
     * ({@link EndpointRegistry#markDown}) stays out of routing until the watch shows its Pod changed.
     */
    private final Map<String, ObservedRun.ObservedPod> routedAs = new ConcurrentHashMap<>();
    /** Pod name held by each replica slot of each run: a Pod keeps its replica index while it lives. */
    private final Map<String, String[]> slots = new ConcurrentHashMap<>();

    private final KubernetesSettings k8s;
    private final SupervisorSettings settings;
    private final EndpointRegistry registry;
    private final KubernetesOllama ollama;
    private final Consumer<ModelRun> recheck;

    /** @param recheck applies the watch's view of a run again (after an Ollama Pod is prepared) */
    KubernetesReplicas(KubernetesSettings k8s, SupervisorSettings settings, EndpointRegistry registry,
                       KubernetesOllama ollama, Consumer<ModelRun> recheck) {
        this.k8s = k8s;
        this.settings = settings;
        this.registry = registry;
        this.ollama = ollama;
        this.recheck = recheck;
    }

    /**
     * The run as the cluster shows it. Under the run's monitor (the watch and the periodic check
     * both apply); the change is persisted after it, since persisting takes the run table's lock,
     * which a start holds while it applies the first observation.
     */
    void apply(ModelRun run, ObservedRun observed) {
        boolean changed;
        synchronized (run) {
            changed = applyLocked(run, observed);
        }
        if (changed) {
            run.changed();
        }
    }

    private boolean applyLocked(ModelRun run, ObservedRun observed) {
        String[] held = assign(run, observed);
        Map<String, ObservedRun.ObservedPod> byName = new LinkedHashMap<>();
        observed.pods().forEach(p -> byName.put(p.name(), p));
        boolean changed = false;
        for (Replica r : run.replicas) {
            ObservedRun.ObservedPod pod = held[r.index] == null ? null : byName.get(held[r.index]);
            changed |= applyReplica(run, r, pod, observed.problem());
        }
        if (!run.started.isDone()) {
            long ready = run.replicas.stream().filter(Replica::serving).count();
            run.progress(LaunchProgress.LOADING, ready + " of " + run.replicas.size() + " Pod(s) ready", 0.2 + 0.7 * ready
                    / run.replicas.size(), null, null);
            run.replicas.stream().filter(r -> r.status == RunStatus.FAILED).findFirst().ifPresent(r -> {
                run.reason = "replica " + r.index + " failed to start: " + r.lastError;
                run.startFailed(new LaunchFailure(run.reason, List.of()));
            });
            run.replicaReady();
        }
        if (run.replicas.stream().allMatch(Replica::serving)) {
            run.reason = null;
        } else if (observed.problem() != null) {
            run.reason = observed.problem();
        } else {
            run.replicas.stream().filter(r -> r.status == RunStatus.FAILED).findFirst()
                    .ifPresent(r -> run.reason = "replica " + r.index + (run.started.isCompletedExceptionally()
                            ? " failed to start: " : " failed: ") + r.lastError);
        }
        return changed;
    }

    /** Keeps each live Pod in its slot and gives new Pods (oldest first) the free slots. */
    private String[] assign(ModelRun run, ObservedRun observed) {
        String[] held = slots.computeIfAbsent(run.id, id -> new String[run.replicas.size()]);
        synchronized (held) {
            List<String> names = observed.pods().stream().map(ObservedRun.ObservedPod::name).toList();
            for (int i = 0; i < held.length; i++) {
                if (held[i] != null && !names.contains(held[i])) {
                    held[i] = null;
                }
            }
            for (String name : names) {
                if (java.util.Arrays.asList(held).contains(name)) {
                    continue;
                }
                for (int i = 0; i < held.length; i++) {
                    if (held[i] == null) {
                        held[i] = name;
                        break;
                    }
                }
            }
            return held.clone();
        }
    }

    /** The replica as its Pod shows it; routes it while Ready. True when its status changed. */
    private boolean applyReplica(ModelRun run, Replica r, ObservedRun.ObservedPod pod, String problem) {
        RunStatus next;
        String error;
        int port = k8s.port(run.plan.engineType());
        String url = pod == null || pod.ip() == null ? null : "http://" + pod.ip() + ":" + port;
        if (pod == null) {
            next = RunStatus.STARTING;
            error = problem == null ? "no Pod yet" : problem;
        } else if (pod.ready() && OllamaEngine.TYPE.equals(run.plan.engineType())) {
            KubernetesOllama.Prepared prepared = ollama.prepare(run, pod.name(), url, () -> recheck.accept(run));
            next = prepared.state() == KubernetesOllama.State.READY ? RunStatus.RUNNING
                    : prepared.state() == KubernetesOllama.State.FAILED ? RunStatus.FAILED : RunStatus.STARTING;
            error = next == RunStatus.FAILED ? prepared.error() : next == RunStatus.STARTING
                    ? "Pod " + pod.name() + " is Ready; pulling and loading " + run.plan.modelName() : null;
        } else if (pod.ready()) {
            next = RunStatus.RUNNING;
            error = null;
        } else if ("Failed".equals(pod.phase()) || (pod.waiting() != null && FATAL.contains(pod.waiting()))) {
            next = RunStatus.FAILED;
            error = describe(pod);
        } else if ("CrashLoopBackOff".equals(pod.waiting())) {
            next = pod.restarts() > settings.restartLimit() ? RunStatus.FAILED : RunStatus.RESTARTING;
            error = describe(pod) + (next == RunStatus.FAILED ? "; " + pod.restarts() + " restarts" : "");
        } else if (r.status == RunStatus.RUNNING || r.status == RunStatus.UNHEALTHY) {
            next = RunStatus.UNHEALTHY; // was serving, now fails its readiness probe
            error = "GET " + KubernetesSpecs.probePath(run.plan.engineType()) + " failing (Pod " + pod.name() + " not Ready)";
        } else {
            next = RunStatus.STARTING;
            error = pod.waiting() == null ? null : describe(pod);
        }
        String previousUrl;
        RunStatus previous;
        synchronized (r) {
            previousUrl = r.baseUrl;
            previous = r.status;
            while (pod != null && r.restartCount < pod.restarts()) {
                run.restarted(r);
            }
            r.status = next;
            r.lastError = error;
            r.baseUrl = url;
            r.port = url == null ? 0 : port;
        }
        if (previousUrl != null && (!previousUrl.equals(url) || next != RunStatus.RUNNING)) {
            registry.remove(run.plan.engineType(), run.plan.modelName(), previousUrl);
            routedAs.remove(previousUrl);
        }
        if (next == RunStatus.RUNNING) {
            route(run, r, url, pod);
        }
        if (previous != next || (url != null && !url.equals(previousUrl))) {
            run.event("replica " + r.index + (pod == null ? "" : " (Pod " + pod.name() + ")") + ": " + next.label()
                    + (next == RunStatus.RUNNING ? " at " + url : error == null ? "" : ": " + error));
            return true;
        }
        return false;
    }

    private static String describe(ObservedRun.ObservedPod pod) {
        String what = pod.waiting() != null ? pod.waiting() : pod.phase();
        return "Pod " + pod.name() + " " + what + (pod.message() == null ? "" : ": " + pod.message());
    }

    /**
     * Routes a Ready replica, except one a request found dead ({@link EndpointRegistry#markDown})
     * while the watch still shows its Pod as it was then: it comes back once the Pod changes (it
     * turns not Ready and Ready again, restarts, or is replaced), not at the next periodic check.
     */
    private void route(ModelRun run, Replica r, String url, ObservedRun.ObservedPod pod) {
        ObservedRun.ObservedPod before = routedAs.put(url, pod);
        if (registry.isDown(url) && pod.equals(before)) {
            return;
        }
        registry.register(run.plan.engineType(), run.plan.modelName(), url, run.id, r.index);
    }

    /** The Pod holding replica {@code index} of the run; null when none does. */
    String pod(String runId, int index) {
        String[] held = slots.get(runId);
        return held == null || index >= held.length ? null : held[index];
    }

    /** Forgets a run that is gone. */
    void forget(String runId) {
        slots.remove(runId);
        routedAs.values().removeIf(p -> p.name().startsWith(runId + "-")); // a Deployment's Pods carry its name
        ollama.forget(runId);
    }
}

package io.infercore.supervisor.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Watches infercore's run Deployments and their Pods with two informers (list, then watch, with
 * a periodic resync) and tells its {@link Listener} each run's state after every change: a run
 * appears when its Deployment does, whoever created it (another gateway, this one before a
 * restart), and is gone when its Deployment is. The informers keep a local copy of the objects,
 * so reading a run costs no call to the API server.
 */
public final class RunWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunWatch.class);
    private static final String BY_RUN = "run";
    private static final long RESYNC_MILLIS = Duration.ofMinutes(5).toMillis();
    private static final Set<String> DEPLOYMENT_FAILURES = Set.of("ReplicaFailure");

    /** Told of runs as the cluster changes; called on the informers' thread, one call at a time. */
    public interface Listener {
        void observed(ObservedRun run);

        void gone(String runId);
    }

    private final String namespace;
    private final Listener listener;
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<Pod> pods;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public RunWatch(KubernetesClient client, String namespace, Listener listener) {
        this.namespace = namespace;
        this.listener = listener;
        this.deployments = client.apps().deployments().inNamespace(namespace).withLabel(RunWorkloads.MANAGED_BY,
                RunWorkloads.MANAGER).runnableInformer(RESYNC_MILLIS);
        this.pods = client.pods().inNamespace(namespace).withLabel(RunWorkloads.MANAGED_BY, RunWorkloads.MANAGER)
                .runnableInformer(RESYNC_MILLIS);
        pods.addIndexers(Map.of(BY_RUN, p -> List.of(runId(p))));
        deployments.addEventHandler(handler()).exceptionHandler(RunWatch::retry);
        pods.addEventHandler(handler()).exceptionHandler(RunWatch::retry);
    }

    /**
     * An API server that cannot be reached (or refuses a list) is retried, with the client's
     * back-off, also before the first listing: by default an informer gives up for good then, and
     * a gateway started before the API server answered would never see a run.
     */
    private static boolean retry(boolean started, Throwable t) {
        LOG.warnf("Watching the runs failed (%s); retrying", t.toString());
        return true;
    }

    /**
     * Starts both informers and waits up to {@code wait} for their first listing; false when the
     * API server did not answer in time (they keep trying, and report the runs once it does).
     */
    public boolean start(Duration wait) {
        try {
            var listed = java.util.concurrent.CompletableFuture.allOf(pods.start().toCompletableFuture(),
                    deployments.start().toCompletableFuture());
            listed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warnf("The Kubernetes API server did not list the runs within %d s: %s", wait.toSeconds(), e.toString());
            return false;
        }
    }

    /** Every run the cluster holds now. */
    public List<ObservedRun> all() {
        return deployments.getStore().list().stream().map(d -> observe(d.getMetadata().getName()))
                .flatMap(Optional::stream).toList();
    }

    /** The run as the cluster holds it now; empty when it has no Deployment. */
    public Optional<ObservedRun> get(String runId) {
        return observe(runId);
    }

    @Override
    public void close() {
        deployments.stop();
        pods.stop();
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed(runId(obj));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed(runId(newObj));
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed(runId(obj));
            }
        };
    }

    private synchronized void changed(String runId) {
        if (runId == null) {
            return;
        }
        try {
            Optional<ObservedRun> run = observe(runId);
            if (run.isPresent()) {
                known.add(runId);
                listener.observed(run.get());
            } else if (known.remove(runId)) {
                listener.gone(runId);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Run %s: its change in the cluster could not be applied", runId);
        }
    }

    private Optional<ObservedRun> observe(String runId) {
        Deployment d = deployments.getStore().getByKey(key(runId));
        if (d == null || d.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        Map<String, String> notes = d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations();
        List<ObservedRun.ObservedPod> observed = pods.getIndexer().byIndex(BY_RUN, runId).stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(RunWatch::pod)
                .sorted(Comparator.comparing(ObservedRun.ObservedPod::createdAt).thenComparing(ObservedRun.ObservedPod::name))
                .toList();
        int replicas = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        return Optional.of(new ObservedRun(runId, notes.get(RunWorkloads.PLAN), instant(notes.get(RunWorkloads.CREATED_AT),
                d.getMetadata().getCreationTimestamp()), replicas, observed, problem(d)));
    }

    private String key(String runId) {
        return namespace + "/" + runId;
    }

    private static String problem(Deployment d) {
        if (d.getStatus() == null || d.getStatus().getConditions() == null) {
            return null;
        }
        for (DeploymentCondition c : d.getStatus().getConditions()) {
            boolean failed = DEPLOYMENT_FAILURES.contains(c.getType()) && "True".equals(c.getStatus());
            boolean stuck = "Progressing".equals(c.getType()) && "False".equals(c.getStatus());
            if (failed || stuck) {
                return c.getType() + ": " + Objects.requireNonNullElse(c.getMessage(), c.getReason());
            }
        }
        return null;
    }

    static ObservedRun.ObservedPod pod(Pod p) {
        var status = p.getStatus();
        boolean ready = false;
        String waiting = null;
        String message = null;
        int restarts = 0;
        String phase = status == null ? "Pending" : status.getPhase();
        if (status != null) {
            for (PodCondition c : nullSafe(status.getConditions())) {
                if ("Ready".equals(c.getType())) {
                    ready = "True".equals(c.getStatus());
                } else if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    waiting = Objects.requireNonNullElse(c.getReason(), "Unschedulable");
                    message = c.getMessage();
                }
            }
            for (ContainerStatus cs : nullSafe(status.getContainerStatuses())) {
                if (!RunWorkloads.CONTAINER.equals(cs.getName())) {
                    continue;
                }
                restarts = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
                if (cs.getState() != null && cs.getState().getWaiting() != null) {
                    waiting = cs.getState().getWaiting().getReason();
                    message = cs.getState().getWaiting().getMessage();
                }
                var last = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
                if (message == null && last != null) {
                    message = "last exit: code " + last.getExitCode() + (last.getReason() == null ? "" : " (" + last.getReason() + ")");
                }
            }
        }
        String ip = status == null ? null : status.getPodIP();
        return new ObservedRun.ObservedPod(p.getMetadata().getName(), ip, ready && ip != null, phase, restarts, waiting,
                message, instant(null, p.getMetadata().getCreationTimestamp()));
    }

    private static String runId(HasMetadata obj) {
        Map<String, String> labels = obj.getMetadata().getLabels();
        return labels == null ? null : labels.get(RunWorkloads.RUN_ID);
    }

    /** The first of {@code preferred} and {@code fallback} that parses as an instant; the epoch when neither does. */
    public static Instant instant(String preferred, String fallback) {
        for (String s : new String[] {preferred, fallback}) {
            if (s != null) {
                try {
                    return Instant.parse(s);
                } catch (RuntimeException e) {
                    // the next one
                }
            }
        }
        return Instant.EPOCH;
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}

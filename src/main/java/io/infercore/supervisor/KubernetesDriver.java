package io.infercore.supervisor;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.infercore.config.InfercoreConfig;
import io.infercore.engine.EndpointRegistry;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.supervisor.kubernetes.KubernetesSettings;
import io.infercore.supervisor.kubernetes.ObservedRun;
import io.infercore.supervisor.kubernetes.RunWatch;
import io.infercore.supervisor.kubernetes.RunWorkloads;
import io.infercore.supervisor.kubernetes.WorkloadSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs engine servers as Kubernetes Deployments ({@code supervisor.backend=kubernetes}), each
 * engine's container as its {@link PodTemplate} says:
 * the start creates the run's Deployment ({@link RunWorkloads}), the scheduler places its Pods,
 * the kubelet probes the engine's own health route and restarts it, and this driver follows the
 * Deployment and its Pods ({@link RunWatch}) into the run's replicas and the
 * {@link EndpointRegistry}: a Pod is routed to at {@code http://<pod IP>:<engine port>} exactly
 * while it is Ready. Runs are the cluster's: a Deployment any gateway created is adopted by every
 * gateway watching the namespace (and by this one after a restart), one deleted anywhere is
 * forgotten everywhere, and neither a gateway's shutdown nor its state file touches them.
 *
 * <p>A run's Deployment is named by its engine and model ({@link KubernetesSpecs#runId}), so two
 * gateways launching the same model at once race on one name and the API server's create decides:
 * the loser gets 409 AlreadyExists and answers with the winner's run when it is the same launch,
 * or with a 409 of its own when the parameters differ. No lock outside the cluster is involved.
 */
final class KubernetesDriver implements RunDriver, RunWatch.Listener {

    private static final Logger LOG = Logger.getLogger(KubernetesDriver.class);

    private final RunWorkloads workloads;
    private final RunWatch watch;
    private final KubernetesSettings k8s;
    private final SupervisorSettings settings;
    private final KubernetesSpecs specs;
    private final EndpointRegistry registry;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kubernetes-pods");
        t.setDaemon(true);
        return t;
    });
    private final KubernetesReplicas replicas;
    /** Deletions this gateway made that the watch has not shown yet: a stop waits for its own. */
    private final Map<String, CompletableFuture<Void>> deletions = new ConcurrentHashMap<>();
    private final Map<String, ModelRun> runs = new ConcurrentHashMap<>();
    /** Runs this gateway stopped whose Deployment may still show in the watch for a moment: never re-adopted. */
    private final java.util.Set<String> deleted = ConcurrentHashMap.newKeySet();
    private volatile RunTable table;

    /** @param templates engine type → its Pods, for every engine whose runs go to the cluster */
    KubernetesDriver(KubernetesClient client, KubernetesSettings k8s, SupervisorSettings settings,
                     Map<String, PodTemplate> templates, EndpointRegistry registry) {
        this.workloads = new RunWorkloads(client, k8s);
        this.watch = new RunWatch(client, workloads.namespace(), this);
        this.k8s = k8s;
        this.settings = settings;
        this.specs = new KubernetesSpecs(k8s, templates);
        this.registry = registry;
        Map<String, PodPreparation> preparations = new LinkedHashMap<>();
        templates.forEach((engine, template) -> {
            PodPreparation preparation = template.preparation(workers, settings.startupTimeout());
            if (preparation != null) {
                preparations.put(engine, preparation);
            }
        });
        this.replicas = new KubernetesReplicas(k8s, settings, registry, specs, preparations, this::check);
    }

    /**
     * The driver of {@code supervisor.backend=kubernetes}, with a Fabric8 client configured the
     * standard way (in a Pod: its service account and namespace; else {@code KUBECONFIG} or
     * {@code ~/.kube/config}); the Fabric8 keys {@code kubernetes.master}, {@code kubernetes.namespace}
     * and {@code kubernetes.trust.certificates} are also read from the service's configuration.
     */
    static RunDriver create(InfercoreConfig config, SupervisorSettings settings, Map<String, PodTemplate> templates,
                            EndpointRegistry registry) {
        InfercoreConfig.Kubernetes k = config.supervisor().kubernetes();
        Map<String, String> images = new LinkedHashMap<>();
        templates.forEach((engine, template) -> images.put(engine, template.image()));
        KubernetesSettings k8s = new KubernetesSettings(k.namespace().filter(n -> !n.isBlank()).orElse(null),
                images, k.enginePort(), k.ollamaPort(), k.modelsClaim(),
                k.modelsMountPath(), k.secretName(), k.serviceAccount().filter(a -> !a.isBlank()).orElse(null),
                settings.probeTimeout(), settings.healthInterval(), settings.unhealthyThreshold(),
                settings.startupTimeout(), settings.stopGrace());
        org.eclipse.microprofile.config.Config mp = ConfigProvider.getConfig();
        ConfigBuilder client = new ConfigBuilder(Config.autoConfigure(null));
        mp.getOptionalValue("kubernetes.master", String.class).ifPresent(client::withMasterUrl);
        mp.getOptionalValue("kubernetes.namespace", String.class).ifPresent(client::withNamespace);
        mp.getOptionalValue("kubernetes.trust.certificates", Boolean.class).ifPresent(client::withTrustCerts);
        KubernetesClient kubernetes = new KubernetesClientBuilder().withConfig(client.build())
                .withHttpClientFactory(new VertxHttpClientFactory())
                .withKubernetesSerialization(serialization()).build();
        return new KubernetesDriver(kubernetes, k8s, settings, templates, registry);
    }

    /**
     * The client's JSON mapping with the kinds the backend reads by kind (a watch event's object, a
     * refusal's Status) registered explicitly. The Fabric8 client finds its HTTP client and its
     * kinds with {@code ServiceLoader}; a Quarkus native executable registers no service providers
     * of plain libraries, so there the factory is named ({@code create}) and the kinds are named
     * here (the JVM finds the same ones either way). Their reflection: {@code KubernetesReflection}.
     */
    static KubernetesSerialization serialization() {
        KubernetesSerialization serialization = new KubernetesSerialization();
        serialization.registerKubernetesResource(Deployment.class);
        serialization.registerKubernetesResource(DeploymentList.class);
        serialization.registerKubernetesResource(Pod.class);
        serialization.registerKubernetesResource(PodList.class);
        serialization.registerKubernetesResource(Status.class);
        return serialization;
    }

    /** Whether a driver made by {@link #create} takes runs of {@code engineType} to the cluster (its engine has Pods). */
    static boolean runsOnCluster(RunDriver driver, String engineType) {
        return ((KubernetesDriver) driver).specs.runsOnCluster(engineType);
    }

    /** {@link #open} for a driver made by {@link #create}; logs when the first listing did not come in time. */
    static void open(RunDriver driver, RunTable table, Duration wait) {
        KubernetesDriver k = (KubernetesDriver) driver;
        if (!k.open(table, wait)) {
            LOG.errorf("supervisor.backend=kubernetes: the runs in namespace %s could not be listed yet; they are "
                    + "adopted as soon as the API server answers", k.namespace());
        }
    }

    /** Starts watching the cluster: every run it holds joins {@code table}. False when the first listing timed out. */
    boolean open(RunTable table, Duration wait) {
        this.table = table;
        return watch.start(wait);
    }

    String namespace() {
        return workloads.namespace();
    }

    RunWorkloads workloads() {
        return workloads;
    }

    @Override
    public String newRunId(LaunchPlan plan) {
        return KubernetesSpecs.runId(plan);
    }

    /** The same launch again (through this gateway or another) is answered with the run that serves it. */
    @Override
    public ModelRun alreadyServing(ModelRun serving, LaunchPlan plan) {
        return specs.sameLaunch(specs.planJson(serving.plan), plan) ? serving : null;
    }

    /**
     * Creates the run's Deployment; a refusal by the API server is the start's failure (nothing is
     * registered). When the name exists already (another gateway won the race, or launched it
     * before this one's watch showed it), that run is the answer if it is the same launch.
     */
    @Override
    public ModelRun prepare(ModelRun run) {
        CompletableFuture<Void> deleting = deletions.get(run.id);
        if (deleting != null && !deleting.isDone() && workloads.get(run.id) == null) {
            deleted.remove(run.id); // gone from the API server; the watch has not said so (yet)
            deletions.remove(run.id, deleting);
            deleting.complete(null);
        } else if (deleting != null && !deleting.isDone()) {
            throw new InfercoreException(ErrorKind.CONFLICT, "Deployment " + run.id + " of the last run of '"
                    + run.plan.modelName() + "' is still being deleted; start it again in a moment");
        }
        runs.put(run.id, run);
        try {
            workloads.create(spec(run));
            return run;
        } catch (KubernetesClientException e) {
            runs.remove(run.id, run);
            if (e.getCode() == 409) {
                return existing(run);
            }
            throw new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, "the Kubernetes API server (namespace "
                    + workloads.namespace() + ") did not create Deployment " + run.id + ": " + e.getMessage());
        }
    }

    /** The run whose Deployment already has {@code run}'s name: adopted when it is the same launch, else 409. */
    private ModelRun existing(ModelRun run) {
        Deployment d = workloads.get(run.id);
        Map<String, String> notes = d == null || d.getMetadata().getAnnotations() == null ? Map.of()
                : d.getMetadata().getAnnotations();
        String plan = notes.get(RunWorkloads.PLAN);
        if (d != null && specs.sameLaunch(plan, run.plan)) {
            ModelRun adopted = adopt(run.id, plan, d.getMetadata().getCreationTimestamp(), notes.get(RunWorkloads.CREATED_AT));
            if (adopted != null) {
                watch.get(adopted.id).ifPresent(this::observed);
                return adopted;
            }
        }
        throw new InfercoreException(ErrorKind.CONFLICT, run.plan.engineType() + " already serves '"
                + run.plan.modelName() + "' in the cluster as run " + run.id + (d == null ? " (being deleted)"
                : " with other launch parameters") + "; use that run_id, stop it first, or launch it with the same "
                + "parameters");
    }

    @Override
    public void start(ModelRun run) {
        run.event("created Deployment " + workloads.namespace() + "/" + run.id + " with " + run.replicas.size()
                + " replica(s) of " + k8s.images().get(run.plan.engineType()));
        run.progress(LaunchProgress.LAUNCHING, "Deployment " + run.id + " created; waiting for the scheduler and "
                + "the engine's GET " + specs.probePath(run.plan.engineType()), 0.1, null, null);
        watch.get(run.id).ifPresent(this::observed);
    }

    /**
     * The cluster is watched, not polled: this only re-applies what the watch holds (an Ollama Pod
     * just prepared is routed; a replica a request found dead stays down while its Pod is unchanged).
     */
    @Override
    public void check(ModelRun run) {
        watch.get(run.id).ifPresent(this::observed);
    }

    @Override
    public void stop(ModelRun run) {
        run.stopping = true;
        deleted.add(run.id);
        registry.removeRun(run.id);
        CompletableFuture<Void> gone = deletions.computeIfAbsent(run.id, id -> new CompletableFuture<>());
        try {
            workloads.delete(run.id);
        } catch (KubernetesClientException e) {
            run.stopping = false;
            deleted.remove(run.id);
            deletions.remove(run.id, gone);
            throw new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, "the Kubernetes API server did not delete "
                    + "Deployment " + run.id + ": " + e.getMessage());
        }
        runs.remove(run.id);
        replicas.forget(run.id);
        run.replicas.forEach(r -> r.status = RunStatus.STOPPED);
        try {
            // The same model launched again gets the same name: once the watch shows this one gone.
            gone.get(settings.stopGrace().toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("the watch has not shown Deployment %s gone yet", run.id);
        }
    }

    @Override
    public void restore(ModelRun run, RunState state) {
        throw new LaunchFailure("Kubernetes runs live in the cluster, not in the state file", List.of());
    }

    @Override
    public List<String> logs(ModelRun run, Replica replica, int lines) {
        String pod = replicas.pod(run.id, replica.index);
        return pod == null ? List.of("(replica " + replica.index + " has no Pod yet)") : workloads.logs(pod, lines);
    }

    @Override
    public void detach() {
        watch.close();
        workers.shutdownNow();
    }

    @Override
    public void observed(ObservedRun observed) {
        ModelRun run = runs.get(observed.runId());
        if (run == null) {
            run = adopt(observed.runId(), observed.planJson(), null, null);
            if (run == null) {
                return;
            }
        }
        if (!run.stopping) {
            replicas.apply(run, observed);
        }
    }

    @Override
    public void gone(String runId) {
        deleted.remove(runId);
        CompletableFuture<Void> deletion = deletions.remove(runId);
        if (deletion != null) {
            deletion.complete(null);
        }
        ModelRun run = runs.remove(runId);
        replicas.forget(runId);
        registry.removeRun(runId);
        RunTable t = table;
        if (run != null && !run.stopping && t != null) {
            run.event("its Deployment was deleted (by another gateway or by hand): forgotten");
            t.forget(runId);
        }
    }

    /** A run this driver did not start: rebuilt from the plan its Deployment carries. */
    private ModelRun adopt(String runId, String planJson, String created, String createdAt) {
        RunTable t = table;
        if (t == null || planJson == null || deleted.contains(runId)) {
            return null;
        }
        ModelRun known = runs.get(runId);
        if (known != null) {
            return known;
        }
        LaunchPlan plan;
        try {
            plan = specs.readPlan(planJson);
        } catch (JsonProcessingException e) {
            LOG.warnf("Deployment %s carries no readable launch plan (%s): not adopted", runId, e.getMessage());
            return null;
        }
        ObservedRun seen = watch.get(runId).orElse(null);
        java.time.Instant at = seen != null ? seen.createdAt() : RunWatch.instant(createdAt, created);
        ModelRun run = new ModelRun(runId, plan.withMode(RunMode.KUBERNETES), at);
        ModelRun previous = runs.putIfAbsent(run.id, run);
        if (previous != null) {
            return previous;
        }
        t.adopt(run);
        run.event("adopted from Deployment " + workloads.namespace() + "/" + run.id);
        return run;
    }

    /** What the run's Deployment holds (package-private: the sample in deploy/k8s/samples is made from it). */
    WorkloadSpec spec(ModelRun run) {
        return specs.spec(run);
    }
}

package io.infercore.supervisor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.infercore.config.InfercoreConfig;
import io.infercore.engine.EndpointRegistry;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.supervisor.kubernetes.KubernetesSettings;
import io.infercore.supervisor.kubernetes.ObservedRun;
import io.infercore.supervisor.kubernetes.RunWatch;
import io.infercore.supervisor.kubernetes.RunWorkloads;
import io.infercore.supervisor.kubernetes.WorkloadSpec;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs vLLM and SGLang servers as Kubernetes Deployments ({@code supervisor.backend=kubernetes}):
 * the start creates the run's Deployment ({@link RunWorkloads}), the scheduler places its Pods,
 * the kubelet probes the engine's own health route and restarts it, and this driver follows the
 * Deployment and its Pods ({@link RunWatch}) into the run's replicas and the
 * {@link EndpointRegistry}: a Pod is routed to at {@code http://<pod IP>:<engine port>} exactly
 * while it is Ready. Runs are the cluster's: a Deployment any gateway created is adopted by every
 * gateway watching the namespace (and by this one after a restart), one deleted anywhere is
 * forgotten everywhere, and neither a gateway's shutdown nor its state file touches them.
 */
final class KubernetesDriver implements RunDriver, RunWatch.Listener {

    private static final Logger LOG = Logger.getLogger(KubernetesDriver.class);
    /** Waiting reasons the kubelet does not get past by retrying: the run failed. */
    private static final java.util.Set<String> FATAL = java.util.Set.of("ErrImagePull", "ImagePullBackOff",
            "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    private final RunWorkloads workloads;
    private final RunWatch watch;
    private final KubernetesSettings k8s;
    private final SupervisorSettings settings;
    private final EngineCommands commands;
    private final Map<String, String> podEnv;
    private final EndpointRegistry registry;
    private final Map<String, ModelRun> runs = new ConcurrentHashMap<>();
    /** Runs this gateway stopped whose Deployment may still show in the watch for a moment: never re-adopted. */
    private final java.util.Set<String> deleted = ConcurrentHashMap.newKeySet();
    /** Pod name held by each replica slot of each run: a Pod keeps its replica index while it lives. */
    private final Map<String, String[]> slots = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private volatile RunTable table;

    /**
     * @param podEnv plain environment of every engine container (models cache path, hub address);
     *               keys come from the Secret, never from here
     */
    KubernetesDriver(KubernetesClient client, KubernetesSettings k8s, SupervisorSettings settings,
                     EngineCommands commands, Map<String, String> podEnv, EndpointRegistry registry) {
        this.workloads = new RunWorkloads(client, k8s);
        this.watch = new RunWatch(client, workloads.namespace(), this);
        this.k8s = k8s;
        this.settings = settings;
        this.commands = commands;
        this.podEnv = Map.copyOf(podEnv);
        this.registry = registry;
    }

    /**
     * The driver of {@code supervisor.backend=kubernetes}, with a Fabric8 client configured the
     * standard way (in a Pod: its service account and namespace; else {@code KUBECONFIG} or
     * {@code ~/.kube/config}); the Fabric8 keys {@code kubernetes.master}, {@code kubernetes.namespace}
     * and {@code kubernetes.trust.certificates} are also read from the service's configuration.
     */
    static RunDriver create(InfercoreConfig config, SupervisorSettings settings, EngineCommands commands,
                            EndpointRegistry registry) {
        InfercoreConfig.Kubernetes k = config.supervisor().kubernetes();
        KubernetesSettings k8s = new KubernetesSettings(k.namespace().filter(n -> !n.isBlank()).orElse(null),
                Map.of("vllm", k.vllmImage(), "sglang", k.sglangImage()), k.enginePort(), k.modelsClaim(),
                k.modelsMountPath(), k.secretName(), k.serviceAccount().filter(a -> !a.isBlank()).orElse(null),
                settings.probeTimeout(), settings.healthInterval(), settings.unhealthyThreshold(),
                settings.startupTimeout(), settings.stopGrace());
        Map<String, String> podEnv = new LinkedHashMap<>();
        podEnv.put("HUGGINGFACE_HUB_CACHE", k.modelsMountPath() + "/" + config.modelsSubdirHf());
        config.hfEndpoint().filter(u -> !u.isBlank()).ifPresent(u -> podEnv.put("HF_ENDPOINT", u));
        org.eclipse.microprofile.config.Config mp = ConfigProvider.getConfig();
        ConfigBuilder client = new ConfigBuilder(Config.autoConfigure(null));
        mp.getOptionalValue("kubernetes.master", String.class).ifPresent(client::withMasterUrl);
        mp.getOptionalValue("kubernetes.namespace", String.class).ifPresent(client::withNamespace);
        mp.getOptionalValue("kubernetes.trust.certificates", Boolean.class).ifPresent(client::withTrustCerts);
        KubernetesClient kubernetes = new KubernetesClientBuilder().withConfig(client.build()).build();
        return new KubernetesDriver(kubernetes, k8s, settings, commands, podEnv, registry);
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

    /** Creates the run's Deployment; a refusal by the API server is the start's failure (nothing is registered). */
    @Override
    public void prepare(ModelRun run) {
        runs.put(run.id, run);
        try {
            workloads.create(spec(run));
        } catch (KubernetesClientException e) {
            runs.remove(run.id);
            throw new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, "the Kubernetes API server (namespace "
                    + workloads.namespace() + ") did not create Deployment " + run.id + ": " + e.getMessage());
        }
    }

    @Override
    public void start(ModelRun run) {
        run.event("created Deployment " + workloads.namespace() + "/" + run.id + " with " + run.replicas.size()
                + " replica(s) of " + k8s.images().get(run.plan.engineType()));
        run.progress(LaunchProgress.LAUNCHING, "Deployment " + run.id + " created; waiting for the scheduler and "
                + "the engine's GET " + EngineCommands.probePath(run.plan.engineType()), 0.1, null, null);
        watch.get(run.id).ifPresent(this::observed);
    }

    /** The cluster is watched, not polled: this only re-applies what the watch holds (a replica marked down comes back). */
    @Override
    public void check(ModelRun run) {
        watch.get(run.id).ifPresent(this::observed);
    }

    @Override
    public void stop(ModelRun run) {
        run.stopping = true;
        deleted.add(run.id);
        registry.removeRun(run.id);
        try {
            workloads.delete(run.id);
        } catch (KubernetesClientException e) {
            run.stopping = false;
            deleted.remove(run.id);
            throw new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, "the Kubernetes API server did not delete "
                    + "Deployment " + run.id + ": " + e.getMessage());
        }
        runs.remove(run.id);
        slots.remove(run.id);
        run.replicas.forEach(r -> r.status = RunStatus.STOPPED);
    }

    @Override
    public void restore(ModelRun run, RunState state) {
        throw new LaunchFailure("Kubernetes runs live in the cluster, not in the state file", List.of());
    }

    @Override
    public List<String> logs(ModelRun run, Replica replica, int lines) {
        String[] held = slots.get(run.id);
        String pod = held == null || replica.index >= held.length ? null : held[replica.index];
        return pod == null ? List.of("(replica " + replica.index + " has no Pod yet)") : workloads.logs(pod, lines);
    }

    @Override
    public void detach() {
        watch.close();
    }

    @Override
    public void observed(ObservedRun observed) {
        ModelRun run = runs.get(observed.runId());
        if (run == null) {
            run = adopt(observed);
            if (run == null) {
                return;
            }
        }
        if (!run.stopping) {
            apply(run, observed);
        }
    }

    @Override
    public void gone(String runId) {
        deleted.remove(runId);
        ModelRun run = runs.remove(runId);
        slots.remove(runId);
        registry.removeRun(runId);
        RunTable t = table;
        if (run != null && !run.stopping && t != null) {
            run.event("its Deployment was deleted (by another gateway or by hand): forgotten");
            t.forget(runId);
        }
    }

    /** A run this driver did not start: rebuilt from the plan its Deployment carries. */
    private ModelRun adopt(ObservedRun observed) {
        RunTable t = table;
        if (t == null || observed.planJson() == null || deleted.contains(observed.runId())) {
            return null;
        }
        LaunchPlan plan;
        try {
            plan = json.readValue(observed.planJson(), LaunchPlan.class);
        } catch (JsonProcessingException e) {
            LOG.warnf("Deployment %s carries no readable launch plan (%s): not adopted", observed.runId(), e.getMessage());
            return null;
        }
        ModelRun run = new ModelRun(observed.runId(), plan.withMode(RunMode.KUBERNETES), observed.createdAt());
        ModelRun previous = runs.putIfAbsent(run.id, run);
        if (previous != null) {
            return previous;
        }
        t.adopt(run);
        run.event("adopted from Deployment " + workloads.namespace() + "/" + run.id);
        return run;
    }

    /**
     * The run as the cluster shows it. Under the run's monitor (the watch and the periodic check
     * both apply); the change is persisted after it, since persisting takes the run table's lock,
     * which a start holds while it applies the first observation.
     */
    private void apply(ModelRun run, ObservedRun observed) {
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
        String url = pod == null || pod.ip() == null ? null : "http://" + pod.ip() + ":" + k8s.enginePort();
        if (pod == null) {
            next = RunStatus.STARTING;
            error = problem == null ? "no Pod yet" : problem;
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
            error = "GET " + EngineCommands.probePath(run.plan.engineType()) + " failing (Pod " + pod.name() + " not Ready)";
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
            r.port = url == null ? 0 : k8s.enginePort();
        }
        if (previousUrl != null && (!previousUrl.equals(url) || next != RunStatus.RUNNING)) {
            registry.remove(run.plan.engineType(), run.plan.modelName(), previousUrl);
        }
        if (next == RunStatus.RUNNING) {
            registry.register(run.plan.engineType(), run.plan.modelName(), url, run.id, r.index);
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

    /** What the run's Deployment holds (package-private: the sample in deploy/k8s/samples is made from it). */
    WorkloadSpec spec(ModelRun run) {
        LaunchPlan plan = run.plan;
        boolean vllm = "vllm".equals(plan.engineType());
        Map<String, String> secretEnv = new LinkedHashMap<>();
        secretEnv.put("HF_TOKEN", "HF_TOKEN");
        String sglangKey = null;
        if (vllm && commands.vllmApiKey() != null) {
            secretEnv.put("VLLM_API_KEY", "VLLM_API_KEY");
        } else if (!vllm && commands.sglangApiKey() != null) {
            secretEnv.put("SGLANG_API_KEY", "SGLANG_API_KEY");
            sglangKey = "$(SGLANG_API_KEY)"; // expanded by the kubelet from the Secret: the key is never in the spec
        }
        List<String> argv = commands.command(plan, "0.0.0.0", k8s.enginePort(), plan.nGpu(), podEnv.getOrDefault(
                "HUGGINGFACE_HUB_CACHE", k8s.modelsMountPath()), sglangKey);
        Map<String, String> env = new LinkedHashMap<>(podEnv);
        env.put("PYTHONUNBUFFERED", "1");
        try {
            return new WorkloadSpec(run.id, plan.engineType(), plan.modelName(), argv, env, secretEnv, plan.nGpu(),
                    run.replicas.size(), EngineCommands.probePath(plan.engineType()), json.writeValueAsString(plan),
                    run.createdAt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("launch plan of " + run.id + " not serializable", e);
        }
    }
}

package io.infercore.supervisor.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Run workloads through the Kubernetes API: one Deployment per run, named by the run id,
 * labelled as infercore's ({@link #MANAGED_BY}) with the run, engine and model, and annotated with
 * the launch plan, so the Deployment itself is the run's state. Creating it is the launch,
 * deleting it the stop (its ReplicaSet and Pods go with it); logs are the Pods' logs.
 */
public final class RunWorkloads {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "infercore";
    public static final String RUN_ID = "infercore.io/run-id";
    public static final String ENGINE = "infercore.io/engine";
    /** The served model name as a label value (characters a label cannot hold become '.'); the annotation has it whole. */
    public static final String MODEL = "infercore.io/model";
    public static final String MODEL_NAME = "infercore.io/model-name";
    public static final String PLAN = "infercore.io/plan";
    public static final String CREATED_AT = "infercore.io/created-at";
    /** The engine container's name in every run Pod. */
    public static final String CONTAINER = "engine";
    public static final String GPU = "nvidia.com/gpu";

    private static final Pattern LABEL_UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final Pattern LABEL_EDGES = Pattern.compile("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$");
    /** Startup probe period: the startup budget is counted in these. */
    private static final int STARTUP_PERIOD_SECONDS = 10;

    private final KubernetesClient client;
    private final KubernetesSettings settings;
    private final String namespace;

    public RunWorkloads(KubernetesClient client, KubernetesSettings settings) {
        this.client = client;
        this.settings = settings;
        String ns = settings.namespace() != null ? settings.namespace() : client.getNamespace();
        this.namespace = ns == null || ns.isBlank() ? "default" : ns;
    }

    public String namespace() {
        return namespace;
    }

    /** Creates the run's Deployment; fails when the API server refuses it (the message says why). */
    public Deployment create(WorkloadSpec spec) {
        return client.apps().deployments().inNamespace(namespace).resource(deployment(spec)).create();
    }

    /** The run's Deployment as the API server holds it now; null when there is none. */
    public Deployment get(String runId) {
        return client.apps().deployments().inNamespace(namespace).withName(runId).get();
    }

    /** Deletes the run's Deployment (its Pods go with it); false when it was already gone. */
    public boolean delete(String runId) {
        return !client.apps().deployments().inNamespace(namespace).withName(runId).delete().isEmpty();
    }

    /** The last {@code lines} lines of the engine container's log in {@code pod}; a line saying why when there is none. */
    public List<String> logs(String pod, int lines) {
        try {
            String log = client.pods().inNamespace(namespace).withName(pod).inContainer(CONTAINER)
                    .tailingLines(lines).getLog();
            return log == null || log.isEmpty() ? List.of() : log.lines().toList();
        } catch (KubernetesClientException e) {
            return List.of("(the log of pod " + pod + " could not be read: " + e.getMessage() + ")");
        }
    }

    /** The Deployment of {@code spec}, as {@link #create} sends it. */
    public Deployment deployment(WorkloadSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(RUN_ID, spec.runId());
        labels.put(ENGINE, spec.engineType());
        labels.put(MODEL, labelValue(spec.modelName()));
        labels.put("app.kubernetes.io/name", spec.engineType());
        labels.put("app.kubernetes.io/component", "engine");
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(MODEL_NAME, spec.modelName());
        annotations.put(PLAN, spec.planJson());
        annotations.put(CREATED_AT, spec.createdAt().toString());

        List<EnvVar> env = new ArrayList<>();
        spec.env().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> env.add(new EnvVar(e.getKey(), e.getValue(), null)));
        spec.secretEnv().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> env.add(new EnvVarBuilder().withName(e.getKey()).withNewValueFrom().withNewSecretKeyRef()
                        .withName(settings.secretName()).withKey(e.getValue()).withOptional(true)
                        .endSecretKeyRef().endValueFrom().build()));

        Map<String, Quantity> gpus = spec.gpus() > 0 ? Map.of(GPU, new Quantity(String.valueOf(spec.gpus()))) : Map.of();
        int startupFailures = (int) Math.max(1, settings.startupTimeout().toSeconds() / STARTUP_PERIOD_SECONDS);
        var container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(settings.images().get(spec.engineType()))
                .withCommand(spec.command())
                .addNewPort().withName("http").withContainerPort(spec.port()).withProtocol("TCP").endPort()
                .withEnv(env)
                .withNewResources().withRequests(gpus).withLimits(gpus).endResources()
                // A model load can take many minutes (download, weights, CUDA graphs): liveness waits for it.
                .withStartupProbe(probe(spec.probePath(), STARTUP_PERIOD_SECONDS, settings.probeTimeout(), startupFailures))
                .withLivenessProbe(probe(spec.probePath(), seconds(settings.healthInterval()), settings.probeTimeout(),
                        Math.max(1, settings.unhealthyThreshold())))
                // Out of rotation at the first failed probe, as with engine processes.
                .withReadinessProbe(probe(spec.probePath(), 5, settings.probeTimeout(), 1))
                .addNewVolumeMount().withName("models").withMountPath(settings.modelsMountPath()).endVolumeMount()
                .addToVolumeMounts(new VolumeMountBuilder().withName("shm").withMountPath("/dev/shm").build())
                .build();
        var pod = new PodSpecBuilder()
                .withContainers(container)
                .withTerminationGracePeriodSeconds(Math.max(1, settings.stopGrace().toSeconds()))
                .addToVolumes(new VolumeBuilder().withName("models").withNewPersistentVolumeClaim()
                        .withClaimName(settings.modelsClaim()).endPersistentVolumeClaim().build())
                // vLLM and NCCL need more shared memory than a container's default 64 MiB.
                .addToVolumes(new VolumeBuilder().withName("shm").withNewEmptyDir().withMedium("Memory").endEmptyDir().build());
        if (settings.serviceAccount() != null) {
            pod.withServiceAccountName(settings.serviceAccount());
        }
        if (spec.gpus() > 0) {
            pod.addNewToleration().withKey(GPU).withOperator("Exists").withEffect("NoSchedule").endToleration();
        }
        return new DeploymentBuilder()
                .withNewMetadata().withName(spec.runId()).withNamespace(namespace).withLabels(labels)
                .withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withReplicas(spec.replicas())
                .withNewSelector().addToMatchLabels(MANAGED_BY, MANAGER).addToMatchLabels(RUN_ID, spec.runId()).endSelector()
                // Never two engines of a replica on its GPUs at once: the old Pod goes before the new one starts.
                .withNewStrategy().withType("Recreate").endStrategy()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withSpec(pod.build()).endTemplate()
                .endSpec()
                .build();
    }

    private static Probe probe(String path, int periodSeconds, Duration timeout, int failures) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(periodSeconds).withTimeoutSeconds(seconds(timeout)).withFailureThreshold(failures)
                .build();
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, d.toSeconds());
    }

    /** {@code value} as a label value: at most 63 characters of [A-Za-z0-9._-], alphanumeric at both ends. */
    static String labelValue(String value) {
        String safe = LABEL_UNSAFE.matcher(value).replaceAll(".");
        if (safe.length() > 63) {
            safe = safe.substring(0, 63);
        }
        return LABEL_EDGES.matcher(safe).replaceAll("");
    }
}

package io.infercore.supervisor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.infercore.supervisor.kubernetes.KubernetesSettings;
import io.infercore.supervisor.kubernetes.WorkloadSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * What a Kubernetes run's Deployment holds, made from its launch plan: the run's name, the
 * engine container as the engine's {@link PodTemplate} describes it, and the plan itself as JSON,
 * which is how every gateway rebuilds the run and tells whether a second launch is the same launch.
 */
final class KubernetesSpecs {

    private final KubernetesSettings k8s;
    private final Map<String, PodTemplate> templates;
    private final ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** @param templates engine type → its Pods */
    KubernetesSpecs(KubernetesSettings k8s, Map<String, PodTemplate> templates) {
        this.k8s = k8s;
        this.templates = Map.copyOf(templates);
    }

    /**
     * The run id (and Deployment name) of a launch: the engine and a digest of the served model
     * name, the pair a gateway serves at most once. Two gateways launching the same model at the
     * same moment thus create the same Deployment name, and the API server's create, which
     * refuses an existing name (409 AlreadyExists), picks the one launch that happens.
     */
    static String runId(LaunchPlan plan) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(plan.modelName().getBytes(StandardCharsets.UTF_8));
            return plan.engineType() + "-" + HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    String planJson(LaunchPlan plan) {
        try {
            return json.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("launch plan of " + plan.modelName() + " not serializable", e);
        }
    }

    LaunchPlan readPlan(String planJson) throws JsonProcessingException {
        return json.readValue(planJson, LaunchPlan.class);
    }

    /** Whether a Deployment's plan is the launch of {@code plan} (the same model, engine and parameters). */
    boolean sameLaunch(String planJson, LaunchPlan plan) {
        try {
            return planJson != null && json.readTree(planJson).equals(json.readTree(planJson(plan.withMode(RunMode.KUBERNETES))));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** What the run's Deployment holds: the engine's container ({@link PodTemplate}) in the run's Deployment. */
    WorkloadSpec spec(ModelRun run) {
        LaunchPlan plan = run.plan;
        PodTemplate template = template(plan.engineType());
        int port = k8s.port(plan.engineType());
        return new WorkloadSpec(run.id, plan.engineType(), plan.modelName(), template.command(plan, port),
                template.env(plan, port), template.secretEnv(plan), plan.nGpu(), run.replicas.size(), port,
                template.probePath(), planJson(plan), run.createdAt);
    }

    /** The health route the kubelet probes for {@code engineType}. */
    String probePath(String engineType) {
        return template(engineType).probePath();
    }

    /** Whether runs of {@code engineType} go to the cluster (its launcher gave a Pod template). */
    boolean runsOnCluster(String engineType) {
        return templates.containsKey(engineType);
    }

    private PodTemplate template(String engineType) {
        PodTemplate template = templates.get(engineType);
        if (template == null) {
            throw new IllegalStateException("engine_type '" + engineType + "' has no Pod template; engines that run "
                    + "on Kubernetes: " + templates.keySet());
        }
        return template;
    }
}

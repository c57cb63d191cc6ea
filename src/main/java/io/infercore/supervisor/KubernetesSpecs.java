package io.infercore.supervisor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.infercore.engine.ollama.OllamaEngine;
import io.infercore.supervisor.kubernetes.KubernetesSettings;
import io.infercore.supervisor.kubernetes.WorkloadSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Kubernetes run's Deployment holds, made from its launch plan: the run's name, the
 * engine container (vLLM and SGLang with their real command lines; Ollama as {@code ollama serve})
 * and the plan itself as JSON, which is how every gateway rebuilds the run and tells whether a
 * second launch is the same launch.
 */
final class KubernetesSpecs {

    /** Ollama answers {@code GET /} with 200 "Ollama is running" once it serves. */
    static final String OLLAMA_PROBE = "/";

    private final KubernetesSettings k8s;
    private final EngineCommands commands;
    private final Map<String, String> podEnv;
    private final String ollamaModels;
    private final ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * @param podEnv       plain environment of the vLLM and SGLang containers (models cache path, hub address)
     * @param ollamaModels {@code OLLAMA_MODELS} of the Ollama containers: a directory on the models volume
     */
    KubernetesSpecs(KubernetesSettings k8s, EngineCommands commands, Map<String, String> podEnv, String ollamaModels) {
        this.k8s = k8s;
        this.commands = commands;
        this.podEnv = Map.copyOf(podEnv);
        this.ollamaModels = ollamaModels;
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

    /** What the run's Deployment holds. */
    WorkloadSpec spec(ModelRun run) {
        LaunchPlan plan = run.plan;
        if (OllamaEngine.TYPE.equals(plan.engineType())) {
            return ollama(run);
        }
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
        int port = k8s.port(plan.engineType());
        List<String> argv = commands.command(plan, "0.0.0.0", port, plan.nGpu(), podEnv.getOrDefault(
                "HUGGINGFACE_HUB_CACHE", k8s.modelsMountPath()), sglangKey);
        Map<String, String> env = new LinkedHashMap<>(podEnv);
        env.put("PYTHONUNBUFFERED", "1");
        return new WorkloadSpec(run.id, plan.engineType(), plan.modelName(), argv, env, secretEnv, plan.nGpu(),
                run.replicas.size(), port, EngineCommands.probePath(plan.engineType()), planJson(plan), run.createdAt);
    }

    /**
     * An Ollama run: {@code ollama serve} on all interfaces, its model store on the models volume
     * (a model pulled once is on disk for every later Pod), models kept loaded ({@code OLLAMA_KEEP_ALIVE}
     * -1: the Pod serves this one model), probed on {@code GET /}. The model itself is pulled and
     * loaded by the gateway once the Pod is Ready ({@link KubernetesOllama}).
     */
    private WorkloadSpec ollama(ModelRun run) {
        LaunchPlan plan = run.plan;
        int port = k8s.port(plan.engineType());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OLLAMA_HOST", "0.0.0.0:" + port);
        env.put("OLLAMA_MODELS", ollamaModels);
        env.put("OLLAMA_KEEP_ALIVE", "-1");
        return new WorkloadSpec(run.id, plan.engineType(), plan.modelName(), List.of("ollama", "serve"), env, Map.of(),
                plan.nGpu(), run.replicas.size(), port, OLLAMA_PROBE, planJson(plan), run.createdAt);
    }

    /** The health route the kubelet probes for {@code engineType}. */
    static String probePath(String engineType) {
        return OllamaEngine.TYPE.equals(engineType) ? OLLAMA_PROBE : EngineCommands.probePath(engineType);
    }
}

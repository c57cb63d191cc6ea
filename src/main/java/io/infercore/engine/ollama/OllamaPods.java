package io.infercore.engine.ollama;

import io.infercore.supervisor.LaunchPlan;
import io.infercore.supervisor.PodPreparation;
import io.infercore.supervisor.PodTemplate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * An Ollama run's Pods: {@code ollama serve} on all interfaces, its model store on the models
 * volume (a model pulled once is on disk for every later Pod), models kept loaded
 * ({@code OLLAMA_KEEP_ALIVE} -1: the Pod serves this one model), probed on {@code GET /}. The
 * model itself is pulled and loaded by the gateway once the Pod is Ready ({@link KubernetesOllama}).
 */
public final class OllamaPods implements PodTemplate {

    /** Ollama answers {@code GET /} with 200 "Ollama is running" once it serves. */
    static final String PROBE = "/";

    private final String image;
    private final String models;

    /**
     * @param image  {@code supervisor.kubernetes.ollama_image}
     * @param models {@code OLLAMA_MODELS} of the containers: a directory on the models volume
     */
    public OllamaPods(String image, String models) {
        this.image = image;
        this.models = models;
    }

    @Override
    public String image() {
        return image;
    }

    @Override
    public String probePath() {
        return PROBE;
    }

    @Override
    public List<String> command(LaunchPlan plan, int port) {
        return List.of("ollama", "serve");
    }

    @Override
    public Map<String, String> env(LaunchPlan plan, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OLLAMA_HOST", "0.0.0.0:" + port);
        env.put("OLLAMA_MODELS", models);
        env.put("OLLAMA_KEEP_ALIVE", "-1");
        return env;
    }

    @Override
    public Map<String, String> secretEnv(LaunchPlan plan) {
        return Map.of();
    }

    @Override
    public PodPreparation preparation(ExecutorService workers, Duration timeout) {
        return new KubernetesOllama(workers, timeout);
    }
}

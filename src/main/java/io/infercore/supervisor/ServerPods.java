package io.infercore.supervisor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pods of a server the supervisor would otherwise spawn ({@link HfServerLauncher}): the same
 * command line as a child process, listening on all interfaces, downloading into the Hugging Face
 * cache on the models volume; the hub token and the server's key come from the Secret (a key the
 * command line needs appears there as a {@code $(VAR)} reference, expanded by the kubelet, so it
 * is never in the spec).
 */
final class ServerPods implements PodTemplate {

    private final ServerCommand command;
    private final String image;
    private final Map<String, String> podEnv;
    private final String modelsMountPath;

    /**
     * @param podEnv          plain environment of the containers (models cache path, hub address)
     * @param modelsMountPath where the models volume is mounted (the download directory when podEnv names no cache)
     */
    ServerPods(ServerCommand command, String image, Map<String, String> podEnv, String modelsMountPath) {
        this.command = command;
        this.image = image;
        this.podEnv = Map.copyOf(podEnv);
        this.modelsMountPath = modelsMountPath;
    }

    @Override
    public String image() {
        return image;
    }

    @Override
    public String probePath() {
        return command.probePath();
    }

    @Override
    public List<String> command(LaunchPlan plan, int port) {
        return command.command(plan, "0.0.0.0", port, plan.nGpu(), podEnv.getOrDefault("HUGGINGFACE_HUB_CACHE",
                modelsMountPath), true);
    }

    @Override
    public Map<String, String> env(LaunchPlan plan, int port) {
        Map<String, String> env = new LinkedHashMap<>(podEnv);
        env.put("PYTHONUNBUFFERED", "1");
        return env;
    }

    @Override
    public Map<String, String> secretEnv(LaunchPlan plan) {
        Map<String, String> secretEnv = new LinkedHashMap<>();
        secretEnv.put("HF_TOKEN", "HF_TOKEN");
        secretEnv.putAll(command.secretVariables());
        return secretEnv;
    }
}

package io.infercore.supervisor.kubernetes;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code supervisor.kubernetes.*} keys and the supervisor timings the run Pods' probes follow,
 * as plain values (no CDI), so drivers can be built against a mock API server in tests.
 *
 * @param namespace       where run Deployments live (null: the client's namespace)
 * @param images          container image by engine type ({@code vllm}, {@code sglang}, {@code ollama})
 * @param enginePort      the port vLLM and SGLang listen on inside their Pods
 * @param ollamaPort      the port {@code ollama serve} listens on inside its Pods ({@code OLLAMA_HOST})
 * @param secretName      the Secret engine keys come from (never written into a spec)
 * @param serviceAccount  the engine Pods' service account (null: the namespace's default)
 * @param healthInterval  liveness period; {@code unhealthyThreshold} failures restart the container
 * @param startupTimeout  the longest a start may take (startup probe budget)
 * @param stopGrace       the Pods' termination grace period
 */
public record KubernetesSettings(String namespace, Map<String, String> images, int enginePort, int ollamaPort,
                                 String modelsClaim,
                                 String modelsMountPath, String secretName, String serviceAccount,
                                 Duration probeTimeout, Duration healthInterval, int unhealthyThreshold,
                                 Duration startupTimeout, Duration stopGrace) {

    public KubernetesSettings {
        images = Map.copyOf(images);
    }

    /** The port the engine of {@code engineType} listens on inside its Pods. */
    public int port(String engineType) {
        return "ollama".equals(engineType) ? ollamaPort : enginePort;
    }
}

package io.infercore.supervisor;

import java.util.List;
import java.util.Map;

/**
 * What a request naming a {@code run_id} is routed to: the engine and the model name the run
 * serves, and the run's thinking default (applied when the request does not say).
 *
 * @param modelId         the catalog id the run was started from
 * @param abilities       the abilities the catalog declares for that model; null when it declares
 *                        none (then requests are not checked against them)
 * @param requestDefaults engine arguments every request to the run carries unless it sets them
 *                        (Ollama's {@code num_ctx}: a request with another value would reload the model)
 */
public record RunTarget(String runId, String engineType, String modelName, Boolean enableThinking, String modelId,
                        List<String> abilities, Map<String, Object> requestDefaults) {

    public RunTarget {
        requestDefaults = requestDefaults == null ? Map.of() : Map.copyOf(requestDefaults);
    }
}

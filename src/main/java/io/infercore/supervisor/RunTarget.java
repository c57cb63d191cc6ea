package io.infercore.supervisor;

/**
 * What a request naming a {@code run_id} is routed to: the engine and the model name the run
 * serves, and the run's thinking default (applied when the request does not say).
 */
public record RunTarget(String runId, String engineType, String modelName, Boolean enableThinking) {
}

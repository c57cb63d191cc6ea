package io.infercore.inference;

/** Which engine and model a request addresses; nulls mean "the configured default". */
public record Target(String engineType, String modelName, String runId) {
}

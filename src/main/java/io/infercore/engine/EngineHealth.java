package io.infercore.engine;

/** Result of an engine probe: whether it answers, where, and a hint for the operator when it does not. */
public record EngineHealth(String engine, boolean up, String endpoint, String detail) {
}

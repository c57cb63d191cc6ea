package io.infercore.engine;

/** What an engine knows about a model it serves; {@code contextLength} is 0 when unknown. */
public record ModelInfo(String name, int contextLength) {
}

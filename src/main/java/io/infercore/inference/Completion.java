package io.infercore.inference;

import io.infercore.engine.GenerationResult;

/** A finished generation with the engine and model that produced it. */
public record Completion(GenerationResult result, String engineType, String modelName) {
}

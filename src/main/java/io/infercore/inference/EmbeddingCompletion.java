package io.infercore.inference;

import io.infercore.engine.EmbeddingResult;

/** Finished embeddings with the engine and model that produced them. */
public record EmbeddingCompletion(EmbeddingResult result, String engineType, String modelName) {
}

package io.infercore.inference;

import io.infercore.engine.RerankResult;

/** Reranked documents with the engine and model that scored them. */
public record RerankCompletion(RerankResult result, String engineType, String modelName) {
}

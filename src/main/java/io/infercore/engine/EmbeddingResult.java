package io.infercore.engine;

import java.util.List;

/** Vectors in input order. */
public record EmbeddingResult(List<float[]> embeddings, int dimensions, String model, int promptTokens) {
}

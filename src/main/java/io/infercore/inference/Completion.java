package io.infercore.inference;

import io.infercore.engine.GenerationResult;

import java.util.List;

/**
 * A finished generation with the engine and model that produced it; for a request constrained
 * by a JSON Schema, the schema keywords the engine did not enforce (null when none was asked for
 * or the engine does not say).
 */
public record Completion(GenerationResult result, String engineType, String modelName, List<String> unenforcedKeywords) {

    public Completion(GenerationResult result, String engineType, String modelName) {
        this(result, engineType, modelName, null);
    }
}

package io.infercore.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.Usage;

import java.util.List;

/**
 * Structured output: the parsed {@code json} (null when the text is not JSON), the raw
 * {@code text}, whether it conforms to the schema, the validator's errors, and the attempts made.
 */
public record StructuredResult(JsonNode json, String text, boolean valid, List<String> errors, int attempts,
                               String engineType, String modelName, Usage usage) {
}

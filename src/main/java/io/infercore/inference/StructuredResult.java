package io.infercore.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.Usage;

import java.util.List;

/**
 * Structured output: the parsed {@code json} (null when the text is not JSON), the raw
 * {@code text}, whether it conforms to the schema, the validator's errors, and the attempts made.
 * {@code finishReason} is {@code length} when the answer was cut at {@code max_tokens};
 * {@code unenforcedKeywords} are the schema keywords (JSON pointers) the engine's constrained
 * decoding did not enforce and only the validator checked, null when the engine does not say.
 */
public record StructuredResult(JsonNode json, String text, boolean valid, List<String> errors, int attempts,
                               String engineType, String modelName, Usage usage, String finishReason,
                               List<String> unenforcedKeywords) {
}

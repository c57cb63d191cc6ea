package io.infercore.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.error.InfercoreException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;

/** Body of {@code POST /v1/embeddings}; unknown fields (e.g. {@code user}) are ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(name = "OpenAiEmbeddingRequest", description = "OpenAI embedding request")
public record EmbeddingRequest(
        @Schema(description = "A string or a list of strings; token ids are not supported", required = true) JsonNode input,
        @Schema(description = "Embedding model id, engine/model or engine:instance/model; default: the embedded all-minilm-l6-v2") String model,
        @Schema(description = "float (default) or base64 (little-endian float32)") String encodingFormat,
        @Schema(description = "Must equal the model's dimensions when set (384 for all-minilm-l6-v2)") Integer dimensions) {

    /** The texts; size and length limits are the shared ones, checked by the inference layer. */
    List<String> texts() {
        if (input == null || input.isNull()) {
            return null;
        }
        if (input.isTextual()) {
            return List.of(input.asText());
        }
        if (!input.isArray()) {
            throw InfercoreException.invalid("input", "input must be a string or a list of strings");
        }
        List<String> texts = new ArrayList<>(input.size());
        for (JsonNode item : input) {
            if (!item.isTextual()) {
                throw InfercoreException.invalid("input", "input must be a string or a list of strings; "
                        + "token ids are not supported, send the text");
            }
            texts.add(item.asText());
        }
        return texts;
    }

    boolean base64() {
        if (encodingFormat == null || encodingFormat.equals("float")) {
            return false;
        }
        if (encodingFormat.equals("base64")) {
            return true;
        }
        throw InfercoreException.invalid("encoding_format", "encoding_format must be float or base64, got '"
                + encodingFormat + "'");
    }

    /** Vectors are not truncated (that would silently change their meaning); a mismatch is refused. */
    void checkDimensions(int actual) {
        if (dimensions != null && dimensions != actual) {
            throw InfercoreException.invalid("dimensions", "dimensions " + dimensions + " is not supported by model '"
                    + model + "': its vectors have " + actual + " dimensions; leave dimensions unset");
        }
    }
}

package io.infercore.api;

import io.infercore.inference.EmbeddingCompletion;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The {@code data} of {@code POST /api/v1/llm/embed}. */
@Schema(description = "Result of embed")
@RegisterForReflection // with EmbeddingUsage: written by Replies, not through a resource signature
public record EmbedData(
        @Schema(description = "One vector per input, in input order") List<float[]> embeddings,
        @Schema(description = "Length of every vector (384 for all-minilm-l6-v2)") int dimensions,
        @Schema(description = "Model that answered") String modelName,
        @Schema(description = "Engine that answered") String engineType,
        EmbeddingUsage usage) {

    /** Token counts of an embed request: there is no output text, so only the input side. */
    @Schema(description = "Token usage of an embed request")
    public record EmbeddingUsage(
            @Schema(description = "Tokens read from the inputs (the model's special tokens not counted)") int promptTokens) {
    }

    static EmbedData of(EmbeddingCompletion c) {
        return new EmbedData(c.result().embeddings(), c.result().dimensions(), c.modelName(), c.engineType(),
                new EmbeddingUsage(c.result().promptTokens()));
    }
}

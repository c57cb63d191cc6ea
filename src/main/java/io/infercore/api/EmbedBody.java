package io.infercore.api;

import io.infercore.inference.Target;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Body of {@code POST /api/v1/llm/embed}. */
@Schema(description = "Embedding request")
public record EmbedBody(
        @Schema(description = "Text to embed: a string, or a list of 1 to 256 strings; each non-empty and at most "
                + "8192 characters, 262144 in all. Vectors come back in the same order", required = true)
        List<String> input,
        @Schema(description = "ollama, vllm, sglang or llamacpp, or a named instance (ollama:gpu2); default: llamacpp with the embedded default "
                + "embedding model, or the default engine when model_name names another model") String engineType,
        @Schema(description = "Embedding model on that engine; default: default_embedding_model (all-minilm-l6-v2, "
                + "384 dimensions, in-process) on llamacpp; remote engines need it named") String modelName,
        @Schema(description = "Run id from /api/v1/models/running, instead of engine_type + model_name") String runId) {

    Target target() {
        return new Target(engineType, modelName, runId);
    }
}

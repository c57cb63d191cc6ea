package io.infercore.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.inference.Target;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** Body of {@code POST /api/v1/llm/structured-generate}. */
@Schema(description = "Generation constrained to a JSON Schema")
public record StructuredBody(
        @Schema(description = "Instruction for the model", required = true) String prompt,
        @Schema(description = "A JSON Schema object, or the short form {\"city\":\"string\",\"population\":\"number\"}",
                required = true) JsonNode schema,
        @Schema(description = "ollama, vllm, sglang or llamacpp, or a named instance of one (ollama:gpu2, from <engine>.instances); default: the configured default engine") String engineType,
        @Schema(description = "Model name on that engine (engine:instance/model names a named instance too); default: default_model_name") String modelName,
        @Schema(description = "Run id from /api/v1/models/running, instead of engine_type + model_name") String runId,
        @Schema(description = "Maximum tokens to generate") Integer maxTokens,
        @Schema(description = "Sampling temperature, 0-2") Double temperature,
        @Schema(description = "Nucleus sampling, greater than 0 and at most 1") Double topP,
        @Schema(description = "Random seed") Long seed,
        @Schema(description = "Engine-specific extras; refused where unsupported") Map<String, Object> engineArgs) {

    GenerationRequest toRequest() {
        return new GenerationRequest(null, prompt, null,
                new SamplingParams(maxTokens, temperature, topP, List.of(), seed), null, engineArgs, null);
    }

    Target target() {
        return new Target(engineType, modelName, runId);
    }
}

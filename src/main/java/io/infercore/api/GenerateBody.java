package io.infercore.api;

import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.inference.Target;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** Body of {@code POST /api/v1/llm/generate}. */
@Schema(description = "Single-turn generation request")
public record GenerateBody(
        @Schema(description = "Text to continue", required = true) String prompt,
        @Schema(description = "ollama, vllm, sglang or llamacpp, or a named instance of one (ollama:gpu2, from <engine>.instances); default: the configured default engine") String engineType,
        @Schema(description = "Model name on that engine (engine:instance/model names a named instance too); default: default_model_name") String modelName,
        @Schema(description = "Run id from /api/v1/models/running, instead of engine_type + model_name") String runId,
        @Schema(description = "Maximum tokens to generate (positive, at most the model's context)") Integer maxTokens,
        @Schema(description = "Sampling temperature, 0-2; 0 is greedy") Double temperature,
        @Schema(description = "Nucleus sampling, greater than 0 and at most 1") Double topP,
        @Schema(description = "Stop sequences (a string or a list)") List<String> stop,
        @Schema(description = "Random seed for reproducible sampling") Long seed,
        @Schema(description = "true: answer as text/event-stream (delta, done, error events)") Boolean stream,
        @Schema(description = "Engine-specific extras (e.g. grammar, regex, top_k); refused where unsupported") Map<String, Object> engineArgs,
        @Schema(description = "Enable or disable the model's thinking mode where supported") Boolean thinking) {

    GenerationRequest toRequest() {
        return new GenerationRequest(null, prompt, null,
                new SamplingParams(maxTokens, temperature, topP, stop, seed), null, engineArgs, thinking);
    }

    Target target() {
        return new Target(engineType, modelName, runId);
    }

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }
}

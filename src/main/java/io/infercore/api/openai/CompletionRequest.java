package io.infercore.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.GenerationRequest;
import io.infercore.error.InfercoreException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * Body of {@code POST /v1/completions} (OpenAI's legacy text completion). Unknown fields are
 * ignored, as on every {@code /v1} body; {@code echo}, {@code suffix} and {@code best_of} would
 * change the answer and are refused when set.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(name = "OpenAiCompletionRequest", description = "OpenAI text completion request")
public record CompletionRequest(
        @Schema(description = "Model id from GET /v1/models, or engine/model; default: default_model_name") String model,
        @Schema(description = "Text to continue: a string, or a list holding one string", required = true) JsonNode prompt,
        @Schema(description = "true: text/event-stream of text_completion chunks, ending data: [DONE]") Boolean stream,
        @Schema(description = "{include_usage: true} adds a usage chunk (choices: []) before [DONE]") OpenAiParams.StreamOptions streamOptions,
        @Schema(description = "Maximum tokens to generate; default: the engine's") Integer maxTokens,
        @Schema(description = "0-2; 0 is greedy") Double temperature,
        @Schema(description = "Nucleus sampling, greater than 0 and at most 1") Double topP,
        @Schema(description = "Choices to generate, 1 to 8 (default 1); with a seed, choice i samples with seed + i")
        Integer n,
        @Schema(description = "Stop sequences (a string or a list)") List<String> stop,
        @Schema(description = "Random seed for reproducible sampling") Long seed,
        @Schema(description = "Not supported; true is refused") Boolean echo,
        @Schema(description = "Not supported; refused when non-empty") String suffix,
        @Schema(description = "0-20: each token's log-probability and that many most likely alternatives (vllm, "
                + "sglang; a 400 names engines that have none)") Integer logprobs,
        @Schema(description = "Only 1 is supported") Integer bestOf,
        @Schema(description = "-2 to 2; passed to engines that support it") Double presencePenalty,
        @Schema(description = "-2 to 2; passed to engines that support it") Double frequencyPenalty,
        @Schema(description = "vLLM/SGLang extra: sample from the k most likely tokens") Integer topK,
        @Schema(description = "vLLM/SGLang extra: minimum probability relative to the most likely token") Double minP,
        @Schema(description = "vLLM/SGLang extra: keep generating past end-of-sequence") Boolean ignoreEos) {

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    int choices() {
        return OpenAiParams.choices(n);
    }

    GenerationRequest toDraft() {
        OpenAiParams.choices(n);
        OpenAiParams.requireStreamOptionsOnlyWhenStreaming(stream, streamOptions);
        if (Boolean.TRUE.equals(echo)) {
            throw InfercoreException.invalid("echo", "echo is not supported by infercore; leave it unset");
        }
        if (suffix != null && !suffix.isEmpty()) {
            throw InfercoreException.invalid("suffix", "suffix (fill-in-the-middle) is not supported by infercore");
        }
        if (bestOf != null && bestOf != 1) {
            throw InfercoreException.invalid("best_of", "best_of must be 1, got " + bestOf);
        }
        return new GenerationRequest(null, promptText(), null,
                OpenAiParams.sampling(maxTokens, null, temperature, topP, stop, seed), null,
                OpenAiParams.engineArgs(presencePenalty, frequencyPenalty, topK, minP, ignoreEos), null, null, null,
                OpenAiParams.completionLogprobs(logprobs));
    }

    /** OpenAI also takes a batch of prompts or token ids; one answer per request is served here. */
    private String promptText() {
        JsonNode p = prompt;
        if (p != null && p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
            p = p.get(0);
        }
        if (p == null || p.isNull()) {
            return null; // the shared validator names the field
        }
        if (!p.isTextual()) {
            throw InfercoreException.invalid("prompt", "prompt must be a string (or a list holding one string); "
                    + "batches and token ids are not supported");
        }
        return p.asText();
    }
}

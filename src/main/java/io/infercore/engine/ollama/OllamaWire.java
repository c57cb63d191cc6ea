package io.infercore.engine.ollama;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * Ollama's native JSON shapes (API 0.12 – 0.17, {@code docs/ENGINE-PROTOCOLS.md} §1), as
 * records. Each carries its own naming and unknown-field rules so it does not depend on the
 * application's global Jackson settings (which fail on unknown fields and write nulls): Ollama adds
 * fields between releases, and a {@code "format": null} would be read by Go as a format.
 */
public final class OllamaWire {

    private OllamaWire() {
    }

    /** {@code details} of a model in {@code /api/tags}, {@code /api/ps} and {@code /api/show}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModelDetails(String format, String family, List<String> families, String parameterSize,
                               String quantizationLevel) {
    }

    /** A model stored on the server ({@code /api/tags}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LocalModel(String name, String model, String modifiedAt, long size, String digest,
                             ModelDetails details) {
    }

    /** A model loaded in memory ({@code /api/ps}); {@code contextLength} is the {@code num_ctx} it runs with. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RunningModel(String name, String model, long size, String digest, ModelDetails details,
                               String expiresAt, long sizeVram, int contextLength) {
    }

    /** {@code /api/show}: {@code modelInfo} holds GGUF metadata such as {@code llama.context_length}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModelCard(String modelfile, String parameters, String template, ModelDetails details,
                            Map<String, Object> modelInfo, List<String> capabilities) {

        /** The trained context length ({@code <arch>.context_length}), 0 when the card has none. */
        public int contextLength() {
            if (modelInfo == null) {
                return 0;
            }
            return modelInfo.entrySet().stream()
                    .filter(e -> e.getKey().endsWith(".context_length") && e.getValue() instanceof Number)
                    .mapToInt(e -> ((Number) e.getValue()).intValue())
                    .findFirst().orElse(0);
        }
    }

    /** One {@code /api/pull} progress line; {@code digest}, {@code total}, {@code completed} are null until known. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PullProgress(String status, String digest, Long total, Long completed) {
    }

    // ---- package-private request / response envelopes -------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Tags(List<LocalModel> models) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Running(List<RunningModel> models) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Version(String version) {
    }

    /** Body of {@code /api/show} and {@code DELETE /api/delete}. */
    record ModelRef(String model) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PullRequest(String model, Boolean stream) {
    }

    /** A pull line as sent: progress, or {@code {"error": "..."}} inside the 200 stream. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PullLine(String status, String digest, Long total, Long completed, String error) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EmbedRequest(String model, List<String> input) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record EmbedResponse(String model, List<float[]> embeddings, Integer promptEvalCount) {
    }

    /**
     * Body of {@code /api/generate}. {@code keepAlive} is seconds ({@code 0} unloads, negative keeps
     * the model loaded forever); {@code truncate:false} makes an over-long prompt an error;
     * {@code logprobs}/{@code topLogprobs} ask for log-probabilities ({@link OllamaLogprobs}).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GenerateRequest(String model, String prompt, Boolean stream, JsonNode format, Map<String, Object> options,
                           Integer keepAlive, Boolean think, Boolean truncate, Boolean logprobs, Integer topLogprobs) {
    }

    /**
     * One {@code /api/generate} line; the last has {@code done:true}, {@code done_reason} and the
     * counts. {@code logprobs} is the line's tokens' log-probabilities when asked for.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record GenerateChunk(String model, String response, String thinking, boolean done, String doneReason,
                         Integer promptEvalCount, Integer evalCount, JsonNode logprobs) {
    }
}

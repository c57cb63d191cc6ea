package io.infercore.api;

import io.infercore.supervisor.LaunchRequest;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** Body of {@code POST /api/v1/models/start} and {@code /start-stream}. */
@Schema(description = "Start a catalog model on an engine")
public record StartBody(
        @Schema(description = "Catalog id (GET /api/v1/models)", required = true) String modelId,
        @Schema(description = "One of the model's sizes; default: its first") String size,
        @Schema(description = "vllm, sglang, ollama or llamacpp (one the model lists), or a named instance of one "
                + "(ollama:gpu2, vllm:box1; <engine>.instances in config.json): Ollama pulls and loads the model on "
                + "that server, vLLM/SGLang instances are attached to (never spawned)", required = true) String engineType,
        @Schema(description = "One of the model's quantizations; mapped to the engine's own method or refused") String quantization,
        @Schema(description = "One of the model's formats (vllm/sglang: safetensors or pytorch; ollama/llamacpp: gguf)") String format,
        @Schema(description = "GPUs per replica (vllm/sglang tensor parallel size; 0 hides GPUs); default 1") Integer nGpu,
        @Schema(description = "Instances behind one run_id (vllm/sglang launched servers); default 1") Integer replicas,
        @Schema(description = "Default thinking mode of requests naming this run") Boolean enableThinking,
        @Schema(description = "Extra launch flags (vllm/sglang, e.g. {\"max_model_len\": 4096}) or keep_alive (ollama)")
        Map<String, Object> engineArgs) {

    LaunchRequest toRequest() {
        return new LaunchRequest(modelId, size, engineType, quantization, format, nGpu, replicas, enableThinking, engineArgs);
    }
}

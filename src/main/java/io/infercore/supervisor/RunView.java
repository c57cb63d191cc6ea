package io.infercore.supervisor;

import io.infercore.access.Secrets;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run as the API shows it ({@code GET /api/v1/models/running}, start replies, the {@code ready} event). */
@Schema(description = "A model run: where it is served and how it is doing")
public record RunView(
        @Schema(description = "Id to pass as run_id to generate, chat and embed") String runId,
        @Schema(description = "starting, running, unhealthy, restarting, failed or stopped") RunStatus status,
        @Schema(description = "Why the run failed or is degraded; null when healthy") String reason,
        String engineType,
        @Schema(description = "spawned, attached, ollama, embedded, builtin or kubernetes") RunMode mode,
        String modelId, String size, String modelType,
        @Schema(description = "The model name requests by engine_type + model_name use") String modelName,
        @Schema(description = "What the engine loads: HF repo, local directory, Ollama name or GGUF path") String modelSource,
        String quantization, String loadFormat, Integer nGpu, Integer replicaCount, Boolean enableThinking,
        Map<String, Object> engineArgs,
        @Schema(description = "Base URL of a serving replica (null for in-process models)") String baseUrl,
        List<ReplicaView> replicas, Instant createdAt) {

    /** Whatever text a run holds (an engine's error, a URL, an argument) is shown with its secrets masked. */
    public RunView {
        reason = Secrets.redact(reason);
        modelSource = Secrets.redact(modelSource);
        baseUrl = Secrets.redact(baseUrl);
        if (engineArgs != null) {
            Map<String, Object> shown = new LinkedHashMap<>();
            engineArgs.forEach((k, v) -> shown.put(k, v instanceof String s ? Secrets.redact(s) : v));
            engineArgs = Collections.unmodifiableMap(shown);
        }
    }

    /** One replica of a run. */
    public record ReplicaView(int index, RunStatus status, Long pid, Integer port, String baseUrl, int restarts,
                              int inFlight, List<String> gpus, String lastError) {
        public ReplicaView {
            baseUrl = Secrets.redact(baseUrl);
            lastError = Secrets.redact(lastError);
        }
    }
}

package io.infercore.supervisor;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * How a run is served: an engine server the supervisor {@code SPAWNED}; one it {@code ATTACHED}
 * to at a configured {@code base_url}; a model pulled into and loaded by the {@code OLLAMA}
 * server; a GGUF loaded in-process ({@code EMBEDDED}); or a {@code BUILTIN} model the service
 * loads by itself (the default model), listed so every model is visible in one place.
 * {@code KUBERNETES}: a vLLM, SGLang or Ollama server the supervisor runs as a Kubernetes Deployment
 * ({@code supervisor.backend=kubernetes}); the cluster, not this service, holds its state.
 */
public enum RunMode {
    SPAWNED, ATTACHED, OLLAMA, EMBEDDED, BUILTIN, KUBERNETES;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.infercore.supervisor;

import io.infercore.catalog.GgufSource;

import java.util.Map;

/**
 * A start request after validation and catalog resolution: everything needed to launch the run
 * again (after a crash or a service restart), and nothing secret, since it is persisted in the
 * state file. Command lines and environments are rebuilt from it and the configuration.
 *
 * @param modelName    the name requests use: vLLM/SGLang {@code --served-model-name}, the Ollama
 *                     model name, or the name the GGUF is loaded under
 * @param modelSource  what the engine loads: HF repo, alias target or local directory, the Ollama
 *                     name, or the GGUF file path
 * @param quantization the engine's own quantization method (null: none)
 * @param loadFormat   the engine's own {@code --load-format} (null: the engine's default)
 * @param nGpu         GPUs per replica (tensor parallel size); 0 hides all GPUs
 * @param attachUrl    for {@link RunMode#ATTACHED}: the configured server
 */
public record LaunchPlan(String engineType, RunMode mode, String modelId, String size, String modelType,
                         String modelName, String modelSource, GgufSource gguf, String quantization,
                         String loadFormat, int nGpu, int replicas, Boolean enableThinking,
                         Map<String, Object> engineArgs, String attachUrl) {

    public LaunchPlan {
        engineArgs = engineArgs == null ? Map.of() : Map.copyOf(engineArgs);
    }

    /** The same plan served another way (a vLLM/SGLang plan run as a Kubernetes Deployment). */
    public LaunchPlan withMode(RunMode other) {
        return new LaunchPlan(engineType, other, modelId, size, modelType, modelName, modelSource, gguf, quantization,
                loadFormat, nGpu, replicas, enableThinking, engineArgs, attachUrl);
    }

    public boolean embedding() {
        return "embedding".equals(modelType);
    }
}

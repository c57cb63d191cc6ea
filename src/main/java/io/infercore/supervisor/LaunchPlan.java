package io.infercore.supervisor;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param instance     the named instance of the engine the run lives on ({@code gpu2} of
 *                     {@code ollama:gpu2}, from {@code <engine>.instances}); null: the default one.
 *                     Persisted, so a restarted gateway finds the run on the same server again;
 *                     left out when null, so plans of the default instance (state files, the
 *                     plan annotation of Kubernetes Deployments) read as they did before.
 */
public record LaunchPlan(String engineType, RunMode mode, String modelId, String size, String modelType,
                         String modelName, String modelSource, GgufSource gguf, String quantization,
                         String loadFormat, int nGpu, int replicas, Boolean enableThinking,
                         Map<String, Object> engineArgs, String attachUrl,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String instance) {

    public LaunchPlan {
        engineArgs = engineArgs == null ? Map.of() : Map.copyOf(engineArgs);
    }

    /** A plan on the engine's default instance. */
    public LaunchPlan(String engineType, RunMode mode, String modelId, String size, String modelType,
                      String modelName, String modelSource, GgufSource gguf, String quantization,
                      String loadFormat, int nGpu, int replicas, Boolean enableThinking,
                      Map<String, Object> engineArgs, String attachUrl) {
        this(engineType, mode, modelId, size, modelType, modelName, modelSource, gguf, quantization, loadFormat, nGpu,
                replicas, enableThinking, engineArgs, attachUrl, null);
    }

    /** The same plan served another way (a vLLM/SGLang plan run as a Kubernetes Deployment). */
    public LaunchPlan withMode(RunMode other) {
        return new LaunchPlan(engineType, other, modelId, size, modelType, modelName, modelSource, gguf, quantization,
                loadFormat, nGpu, replicas, enableThinking, engineArgs, attachUrl, instance);
    }

    /** The same plan on the named instance {@code name} (null: the default instance). */
    public LaunchPlan onInstance(String name) {
        return new LaunchPlan(engineType, mode, modelId, size, modelType, modelName, modelSource, gguf, quantization,
                loadFormat, nGpu, replicas, enableThinking, engineArgs, attachUrl, name);
    }

    /**
     * Where requests to the run go: the engine type for its default instance, {@code type:instance}
     * ({@code ollama:gpu2}) for a named one. Runs register their replicas under it, so a named
     * instance's run never answers for the default instance's model of the same name.
     */
    public String address() {
        return instance == null ? engineType : engineType + ':' + instance;
    }

    public boolean embedding() {
        return "embedding".equals(modelType);
    }
}

package io.infercore.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The one configuration root. Keys are spelled exactly as in the seed's {@code config.json}
 * (snake_case, nested objects), so a {@code config.json} file, {@code config/application.properties}
 * ({@code infercore.ollama.base_url=...}) and environment variables
 * ({@code INFERCORE_OLLAMA_BASE_URL}) all name the same thing.
 */
@ConfigMapping(prefix = "infercore", namingStrategy = ConfigMapping.NamingStrategy.SNAKE_CASE)
public interface InfercoreConfig {

    /** Name a request gets when it sets no {@code model_name}; the embedded GGUF is served under it. */
    @WithDefault("smollm2-135m-instruct")
    String defaultModelName();

    /** Engine a request gets when it sets no {@code engine_type}. */
    @WithDefault("llamacpp")
    String defaultEngine();

    /** Root of every model the service stores (relative paths resolve against the working directory). */
    @WithDefault("./models")
    String modelsDir();

    /** Sub-directory of {@link #modelsDir()} exported to Ollama children as {@code OLLAMA_MODELS}. */
    @WithDefault("ollama")
    String modelsSubdirOllama();

    /** Sub-directory of {@link #modelsDir()} exported as {@code HUGGINGFACE_HUB_CACHE}. */
    @WithDefault("HF")
    String modelsSubdirHf();

    /** Hugging Face token for gated models; exported to engine children as {@code HF_TOKEN}, never logged. */
    Optional<String> hfToken();

    /** Ollama engine settings. */
    Ollama ollama();

    /** vLLM engine settings. */
    Vllm vllm();

    /** SGLang engine settings. */
    Sglang sglang();

    /** Embedded llama.cpp engine settings. */
    LlamaCpp llamacpp();

    /** Limits on waiting for a remote engine. */
    interface Timeouts {
        /** Establishing the TCP connection. */
        @WithDefault("5s")
        Duration connect();

        /** From sending the request to the first token (or the whole answer when not streaming). */
        @WithDefault("120s")
        Duration firstToken();

        /** The whole generation, streamed or not. */
        @WithDefault("600s")
        Duration total();
    }

    interface Ollama {
        /** Base URL of the Ollama server. */
        @WithDefault("http://localhost:11434")
        String baseUrl();

        /** Timeouts for calls to Ollama. */
        Timeouts timeouts();
    }

    interface Vllm {
        /** Base URL of a running vLLM OpenAI-compatible server; when absent the supervisor launches one. */
        Optional<String> baseUrl();

        /** Local Hugging Face-format model directory ({@code ~} expands to the home directory). */
        Optional<String> localModelPath();

        /** Friendly name to Hugging Face repo or local path. */
        Map<String, String> modelAliases();

        /** Fraction of GPU memory vLLM may use (0-1). */
        @WithDefault("0.65")
        double gpuMemoryUtilization();

        /** API key the vLLM server expects ({@code --api-key}); sent as a Bearer token, never logged. */
        Optional<String> apiKey();

        /** Timeouts for calls to vLLM. */
        Timeouts timeouts();
    }

    interface Sglang {
        /** Base URL of the SGLang server. */
        @WithDefault("http://localhost:30000")
        String baseUrl();

        /** API key the SGLang server expects ({@code --api-key}); sent as a Bearer token, never logged. */
        Optional<String> apiKey();

        /** Timeouts for calls to SGLang. */
        Timeouts timeouts();
    }

    interface LlamaCpp {
        /**
         * GGUF file of the default model. Absent: {@code <models_dir>/gguf/SmolLM2-135M-Instruct.Q4_1.gguf},
         * which {@code scripts/fetch-default-model.sh} provides.
         */
        Optional<String> modelPath();

        /** CPU threads used by each loaded model. */
        @WithDefault("2")
        int threads();

        /** Context length (tokens) of every request slot. */
        @WithDefault("2048")
        int contextLength();

        /** Requests a model generates at once (llama.cpp slots, batched together). */
        @WithDefault("2")
        int parallel();

        /** Requests allowed to wait for a slot; one more is answered 503. */
        @WithDefault("64")
        int queueSize();

        /** Whether the default model is loaded at start-up (readiness waits for it). */
        @WithDefault("true")
        boolean loadOnStart();


        /** Max tokens when a request sets none (capped by the context left after the prompt). */
        @WithName("default_max_tokens")
        @WithDefault("256")
        int defaultMaxTokens();
    }
}

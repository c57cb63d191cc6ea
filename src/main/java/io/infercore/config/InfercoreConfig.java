package io.infercore.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
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

    /**
     * Name under which the embedded embedding model (all-MiniLM-L6-v2, 384 dimensions, ONNX in the
     * jar, no server needed) is served by the {@code llamacpp} engine. {@code POST /api/v1/llm/embed}
     * uses it when the request names neither an engine nor a model. It is separate from
     * {@link #defaultModelName()} because a generation model is never a sensible embedding model.
     */
    @WithDefault("all-minilm-l6-v2")
    String defaultEmbeddingModel();

    /** Root of every model the service stores (relative paths resolve against the working directory). */
    @WithDefault("./models")
    String modelsDir();

    /**
     * How many responses of {@code POST /v1/responses} (with {@code store}, OpenAI's default) are
     * kept under {@code <models_dir>/responses/} for {@code GET /v1/responses/{id}} and
     * {@code previous_response_id}; beyond it the oldest are deleted. They survive a restart.
     */
    @WithDefault("1000")
    int responsesStoreMax();

    /** Sub-directory of {@link #modelsDir()} exported to Ollama children as {@code OLLAMA_MODELS}. */
    @WithDefault("ollama")
    String modelsSubdirOllama();

    /** Sub-directory of {@link #modelsDir()} exported as {@code HUGGINGFACE_HUB_CACHE}. */
    @WithDefault("HF")
    String modelsSubdirHf();

    /** Hugging Face token for gated models; exported to engine children as {@code HF_TOKEN}, never logged. */
    Optional<String> hfToken();

    /**
     * The model catalog file ({@code models.json} format). The {@code MODELS_CONFIG} environment
     * variable wins over this key; with neither, {@code ./models.json}, else the built-in list.
     */
    Optional<String> modelsConfig();

    /**
     * Hugging Face hub address GGUF files are downloaded from. Absent: the {@code HF_ENDPOINT}
     * environment variable, else {@code https://huggingface.co}. A configured value is also given
     * to engine children as {@code HF_ENDPOINT} (mirrors, air-gapped hubs).
     */
    Optional<String> hfEndpoint();

    /**
     * API keys a client must present on every {@code /api/v1} and {@code /v1} call, as
     * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>} (at least 8 characters each).
     * The {@code INFERCORE_API_KEYS} environment variable sets this key (comma-separated). With none
     * here and no {@link #apiKeysFile()}, the API is open. These keys may use every model without a
     * rate limit; per-key limits belong in the file. Compared in constant time, never logged.
     */
    Optional<List<String>> apiKeys();

    /**
     * A file of API keys with optional per-key limits (read at start-up, added to {@link #apiKeys()}):
     * JSON, {@code [{"key": "...", "name": "team-a", "models": ["m1", "ollama/*"], "requests_per_minute": 60}]},
     * or one key a line, {@code KEY [name=N] [models=m1,ollama/*] [requests_per_minute=60]}, {@code #}
     * comments. {@code models} limits the key to those models ({@code name}, {@code engine/name} or
     * {@code engine/*}); over {@code requests_per_minute} a call is answered 429 with {@code Retry-After}.
     */
    Optional<String> apiKeysFile();

    /** Launching, watching, restarting and stopping model runs. */
    Supervisor supervisor();

    /** Ollama engine settings. */
    Ollama ollama();

    /** vLLM engine settings. */
    Vllm vllm();

    /** SGLang engine settings. */
    Sglang sglang();

    /** Embedded llama.cpp engine settings. */
    LlamaCpp llamacpp();

    /** The in-process engines as a whole (llama.cpp and the embedding model). */
    Embedded embedded();

    interface Embedded {
        /**
         * Whether the in-process engines run (default: yes, on the JVM and in a native executable,
         * where the embedding model alone stays off). Off, they answer 503 naming the remote engines
         * and readiness does not wait for a model (see {@code io.infercore.nativeimage.EmbeddedSwitch}).
         */
        Optional<Boolean> enabled();
    }

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

        /**
         * How many times a call is sent again after it failed before the engine answered anything
         * (a refused or reset connection, a kept-alive connection the server had just closed). A
         * call the engine answered, a timeout, and a stream whose first byte has arrived are never
         * sent again.
         */
        @WithDefault("1")
        int retries();

        /**
         * Consecutive calls that failed before any answer after which the engine's circuit opens:
         * calls then fail at once with 503 (no connection attempt) for {@code breaker_open}. 0 turns
         * the breaker off.
         */
        @WithDefault("5")
        int breakerFailures();

        /** How long an open circuit refuses calls before it lets one through to try the engine again. */
        @WithDefault("2s")
        Duration breakerOpen();
    }

    /**
     * A further server of the same engine type ({@code ollama.instances.<name>}), addressed as
     * {@code engine:name/model} (e.g. {@code ollama:gpu2/llama3.2}) or {@code engine_type: "ollama:gpu2"}.
     * The engine's own {@code base_url} stays its default instance. Names are lower-case letters,
     * digits and dashes; an instance's URL may not repeat another instance's or the default's. It
     * uses the engine's {@code timeouts} (and, for vLLM, its {@code model_aliases}) but has its own
     * breaker, and only its own {@code api_key}: the engine's key is never sent to another server.
     */
    interface EngineInstance {
        /** Base URL of this server (required). */
        String baseUrl();

        /** Bearer token this server expects; never logged. */
        Optional<String> apiKey();
    }

    interface Ollama {
        /** Base URL of the Ollama server: the default instance. */
        @WithDefault("http://localhost:11434")
        String baseUrl();

        /** Timeouts for calls to Ollama (every instance). */
        Timeouts timeouts();

        /** More Ollama servers by instance name, e.g. {@code {"gpu2": {"base_url": "http://b:11434"}}}; see {@link EngineInstance}. */
        Map<String, EngineInstance> instances();
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

        /** Timeouts for calls to vLLM (every instance). */
        Timeouts timeouts();

        /** More vLLM servers by instance name (one per GPU box); see {@link EngineInstance}. */
        Map<String, EngineInstance> instances();

        /**
         * Program and leading arguments that start a vLLM server when {@link #baseUrl()} is absent;
         * the supervisor appends the model and its flags. Run without a shell.
         */
        @WithDefault("vllm,serve")
        List<String> launchCommand();
    }

    interface Sglang {
        /** Base URL of the SGLang server. */
        @WithDefault("http://localhost:30000")
        String baseUrl();

        /** API key the SGLang server expects ({@code --api-key}); sent as a Bearer token, never logged. */
        Optional<String> apiKey();

        /** Timeouts for calls to SGLang (every instance). */
        Timeouts timeouts();

        /** More SGLang servers by instance name; see {@link EngineInstance}. */
        Map<String, EngineInstance> instances();

        /**
         * Program and leading arguments that start an SGLang server; the supervisor appends
         * {@code --model-path} and the other flags. Used when {@code sglang.base_url} is not set
         * explicitly (its default only serves requests naming {@code engine_type} directly). Run
         * without a shell.
         */
        @WithDefault("python3,-m,sglang.launch_server")
        List<String> launchCommand();

        /** {@code --mem-fraction-static} for launched servers (0-1); absent: SGLang's own choice. */
        Optional<Double> memFractionStatic();
    }

    interface Supervisor {
        /** Between two health checks of every run; a crashed process is noticed at once, without waiting for one. */
        @WithDefault("10s")
        Duration healthInterval();

        /** One readiness or health probe of an engine. */
        @WithDefault("5s")
        Duration probeTimeout();

        /** Failed health probes in a row before a running engine is restarted (one makes it {@code unhealthy}). */
        @WithDefault("3")
        int unhealthyThreshold();

        /**
         * A starting engine that is not ready and writes no new log line for this long is stalled:
         * it is killed and the start fails. New output (download or load progress) extends it.
         */
        @WithDefault("180s")
        Duration stallTimeout();

        /** The longest a start may take, progress or not. */
        @WithDefault("60m")
        Duration startupTimeout();

        /** After SIGTERM, how long a stopping engine gets before SIGKILL (the whole process tree). */
        @WithDefault("15s")
        Duration stopGrace();

        /** Restarts allowed within {@link #restartWindow()}; one more makes the replica {@code failed}. */
        @WithDefault("3")
        int restartLimit();

        /** The sliding window {@link #restartLimit()} counts in. */
        @WithDefault("10m")
        Duration restartWindow();

        /** Delay before the first restart; doubled for each further one in the window. */
        @WithDefault("2s")
        Duration restartBackoff();

        /** Cap of the doubled restart delay. */
        @WithDefault("60s")
        Duration restartBackoffMax();

        /** Most replicas one run may have. */
        @WithDefault("8")
        int maxReplicas();

        /**
         * What service shutdown does to engine processes it launched: {@code leave} them running
         * (the next start re-adopts them from the state file) or {@code stop} them.
         */
        @WithDefault("leave")
        OnShutdown onShutdown();

        /** See {@link #onShutdown()}. */
        enum OnShutdown { LEAVE, STOP }

        /**
         * Where launched vLLM and SGLang servers run: {@code process}, child processes of this
         * service on its own GPUs (state in {@code <models_dir>/runs/state.json}); or
         * {@code kubernetes}, one Deployment per run through the Kubernetes API, the runs being
         * labelled Deployments every gateway replica sees (see {@link #kubernetes()}). Attached,
         * Ollama and in-process runs are the same under both.
         */
        @WithDefault("process")
        Backend backend();

        /** See {@link #backend()}. */
        enum Backend { PROCESS, KUBERNETES }

        /** The {@code kubernetes} backend; read only when {@link #backend()} is {@code kubernetes}. */
        Kubernetes kubernetes();

        /**
         * Prefix affinity: a request whose prompt shares its first this many characters with
         * another goes to the same replica (the engine's prefix cache holds them), unless that
         * replica has more than {@link #prefixAffinitySlack()} requests in flight above the least
         * busy one. 0: least-busy only.
         */
        @WithDefault("0")
        int prefixAffinityChars();

        /** See {@link #prefixAffinityChars()} (4: the best latency in PrefixAffinitySimulationTest's sweep). */
        @WithDefault("4")
        int prefixAffinitySlack();
    }

    /** Engines as Kubernetes workloads ({@code supervisor.backend=kubernetes}). */
    interface Kubernetes {
        /** Namespace of the run Deployments. Absent: the client's (the gateway Pod's own namespace in a cluster). */
        Optional<String> namespace();

        /** Container image of vLLM runs (the engine command comes from {@code vllm.launch_command}). */
        @WithDefault("vllm/vllm-openai:v0.11.0")
        String vllmImage();

        /** Container image of SGLang runs ({@code sglang.launch_command}). */
        @WithDefault("lmsysorg/sglang:v0.5.4")
        String sglangImage();

        /** Container image of Ollama runs ({@code ollama serve}); pinned, as Ollama's API changes between releases. */
        @WithDefault("ollama/ollama:0.12.6")
        String ollamaImage();

        /** Port vLLM and SGLang listen on inside their Pods; the gateway calls {@code http://<pod IP>:<port>}. */
        @WithDefault("8000")
        int enginePort();

        /** Port {@code ollama serve} listens on inside its Pods ({@code OLLAMA_HOST=0.0.0.0:<port>}). */
        @WithDefault("11434")
        int ollamaPort();

        /** PersistentVolumeClaim of the models volume (Hugging Face cache), shared by every run Pod. */
        @WithDefault("infercore-models")
        String modelsClaim();

        /** Where the models volume is mounted in the engine containers. */
        @WithDefault("/models")
        String modelsMountPath();

        /** Secret holding the engine keys: {@code HF_TOKEN}, {@code VLLM_API_KEY}, {@code SGLANG_API_KEY} (each optional). */
        @WithDefault("infercore-secrets")
        String secretName();

        /** The engine Pods' service account. Absent: the namespace's default. */
        Optional<String> serviceAccount();
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

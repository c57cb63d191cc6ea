package io.infercore.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.engine.ChatMessage;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.StreamEvent;
import io.infercore.error.InfercoreException;
import io.infercore.inference.Completion;
import io.infercore.inference.InferenceService;
import io.infercore.inference.StructuredResult;
import io.infercore.inference.Target;
import io.smallrye.mutiny.Multi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine layer from Java, without HTTP: the seed's {@code LLMInferencer}.
 *
 * <pre>{@code
 * try (Inferencer llm = Inferencer.builder().engine("ollama").model("llama3.2").build()) {
 *     String text = llm.generate("Tell me about Beijing.", 256);
 * }
 * }</pre>
 *
 * <p><b>Why it boots the application.</b> Every request goes through the same
 * {@link InferenceService} as {@code /api/v1} and {@code /v1}: the same defaults, validation,
 * engine and model resolution, structured-output retry, and the same adapters with their
 * configuration ({@code config.json}, {@code config/application.properties}, environment, system
 * properties). Those are CDI beans wired by Quarkus (REST clients, Vert.x, the llama.cpp slot
 * executor, the embedded embedding model); building them by hand would be a second, drifting
 * wiring. So {@link Builder#build()} starts the infercore application in this JVM with its HTTP
 * listener off (about a second, plus loading the embedded model when configured), or uses it when
 * it is already running here; the last {@link #close()} stops it. Quarkus starts once per class
 * loader: after the last Inferencer closed, no new one can be built in the same JVM.
 *
 * <p><b>Class path.</b> The packaged application, {@code quarkus-app/quarkus/*.jar} first, then
 * {@code quarkus-app/app/*}, {@code quarkus-app/lib/main/*}, {@code quarkus-app/lib/boot/*} (see
 * the README); the generated classes there are what can boot without the Quarkus launcher.
 *
 * <p><b>Errors</b> are {@link InfercoreException}s whose {@link io.infercore.error.ErrorKind} is the
 * one the HTTP API maps to its status (invalid request, model not found, engine unavailable...).
 * Methods block the calling thread until the answer is complete (never call them on a Vert.x event
 * loop); {@link #stream} returns a {@link Multi} for non-blocking use, which
 * {@code .subscribe().asIterable()} turns into a blocking iteration. Instances are thread-safe.
 *
 * <p>With the embedded engine, java-llama.cpp leaves a non-daemon native thread behind once a model
 * was loaded (kherud/java-llama.cpp#116): a program that used it ends with {@code System.exit}.
 */
public final class Inferencer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InferenceService service;
    private final boolean counted;
    private final Target target;
    private final Target embeddingTarget;
    private final SamplingParams defaults;
    private final Boolean thinking;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Inferencer(Builder b, EmbeddedRuntime.Lease lease) {
        this.service = lease.service();
        this.counted = lease.counted();
        this.target = new Target(b.engine, b.model, b.runId);
        // A generation model is never a sensible embedding model: without embeddingModel, embed() uses the
        // embedded one whatever engine generates; with it, the builder's engine (or the default engine).
        this.embeddingTarget = b.embeddingModel == null ? new Target(null, null, null)
                : new Target(b.engine, b.embeddingModel, null);
        this.defaults = new SamplingParams(b.maxTokens, b.temperature, b.topP, b.stop, b.seed);
        this.thinking = b.thinking;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The engine requests go to; null means the configured {@code default_engine}. */
    public String engine() {
        return target.engineType();
    }

    /** The model requests use; null means the configured {@code default_model_name}. */
    public String model() {
        return target.modelName();
    }

    // ---- generation -----------------------------------------------------------------------

    public String generate(String prompt) {
        return generateCompletion(prompt, null).result().text();
    }

    /** The seed's {@code generate(prompt, max_tokens=...)}. */
    public String generate(String prompt, int maxTokens) {
        return generateCompletion(prompt, maxTokens(maxTokens)).result().text();
    }

    /** {@code sampling} fields left null take the builder's values, then the engine's defaults. */
    public String generate(String prompt, SamplingParams sampling) {
        return generateCompletion(prompt, sampling).result().text();
    }

    /** The whole answer: text, reasoning, finish reason, token usage, and the engine and model that answered. */
    public Completion generateCompletion(String prompt, SamplingParams sampling) {
        return service.generate(target, request(false, prompt, null, sampling)).await().indefinitely();
    }

    public String chat(List<ChatMessage> messages) {
        return chatCompletion(messages, null).result().text();
    }

    public String chat(List<ChatMessage> messages, int maxTokens) {
        return chatCompletion(messages, maxTokens(maxTokens)).result().text();
    }

    public String chat(List<ChatMessage> messages, SamplingParams sampling) {
        return chatCompletion(messages, sampling).result().text();
    }

    public Completion chatCompletion(List<ChatMessage> messages, SamplingParams sampling) {
        return service.generate(target, request(true, null, messages, sampling)).await().indefinitely();
    }

    // ---- streaming ------------------------------------------------------------------------

    public Multi<String> stream(String prompt) {
        return stream(prompt, null);
    }

    /**
     * Text pieces as the engine produces them (reasoning is left out). The request is validated and
     * routed before this returns, so a bad request throws here; a failure after the first piece fails
     * the {@link Multi}. Cancelling the subscription stops the generation in the engine.
     */
    public Multi<String> stream(String prompt, SamplingParams sampling) {
        return open(request(false, prompt, null, sampling));
    }

    public Multi<String> streamChat(List<ChatMessage> messages) {
        return streamChat(messages, null);
    }

    public Multi<String> streamChat(List<ChatMessage> messages, SamplingParams sampling) {
        return open(request(true, null, messages, sampling));
    }

    // ---- structured output and embeddings ----------------------------------------------------

    /**
     * Generation constrained to {@code schema}: a JSON Schema or the seed's short form
     * ({@code Map.of("city", "string")}), as a {@link JsonNode}, a {@link Map} or JSON text. The
     * answer is validated, retried once when it does not conform, and returned with {@code valid}
     * and the validator's errors.
     */
    public StructuredResult structuredGenerate(String prompt, Object schema) {
        return structuredGenerate(prompt, schema, null);
    }

    public StructuredResult structuredGenerate(String prompt, Object schema, SamplingParams sampling) {
        JsonNode tree = schemaTree(schema);
        return service.structured(target, request(false, prompt, null, sampling), tree).await().indefinitely();
    }

    /** One vector, from the builder's {@code embeddingModel} (default: the embedded all-MiniLM-L6-v2, 384 dimensions). */
    public float[] embed(String text) {
        return embed(List.of(text)).get(0);
    }

    /** Vectors in input order. */
    public List<float[]> embed(List<String> texts) {
        checkOpen();
        return service.embed(embeddingTarget, texts).await().indefinitely().result().embeddings();
    }

    /** Releases this handle; the last one open stops the application (models unloaded, threads ended). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && counted) {
            EmbeddedRuntime.release();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private Multi<String> open(GenerationRequest request) {
        return service.stream(target, request).await().indefinitely().events()
                .filter(e -> e instanceof StreamEvent.Delta d && d.text() != null && !d.text().isEmpty())
                .map(e -> ((StreamEvent.Delta) e).text());
    }

    private GenerationRequest request(boolean chat, String prompt, List<ChatMessage> messages, SamplingParams sampling) {
        checkOpen();
        if (prompt == null && messages == null) {
            throw InfercoreException.invalid(chat ? "messages" : "prompt", chat
                    ? "messages must hold at least one message" : "prompt must be a non-empty string");
        }
        // ArrayList, not List.copyOf: a null message must reach the validator, which names its index
        return new GenerationRequest(null, prompt, messages == null ? null : new ArrayList<>(messages),
                merge(sampling), null, null, thinking);
    }

    private SamplingParams merge(SamplingParams s) {
        if (s == null) {
            return defaults;
        }
        return new SamplingParams(s.maxTokens() != null ? s.maxTokens() : defaults.maxTokens(),
                s.temperature() != null ? s.temperature() : defaults.temperature(),
                s.topP() != null ? s.topP() : defaults.topP(),
                s.stop() != null && !s.stop().isEmpty() ? s.stop() : defaults.stop(),
                s.seed() != null ? s.seed() : defaults.seed());
    }

    private static SamplingParams maxTokens(int maxTokens) {
        return new SamplingParams(maxTokens, null, null, null, null);
    }

    private static JsonNode schemaTree(Object schema) {
        if (schema == null) {
            throw InfercoreException.invalid("schema", "schema is required: a JSON Schema or a map of field to type");
        }
        if (schema instanceof JsonNode node) {
            return node;
        }
        if (schema instanceof String text) {
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw InfercoreException.invalid("schema", "schema is not valid JSON: " + e.getOriginalMessage());
            }
        }
        return JSON.valueToTree(schema);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("This Inferencer is closed");
        }
    }

    /** What requests address and the sampling defaults they get; everything is optional. */
    public static final class Builder {
        private String engine;
        private String model;
        private String embeddingModel;
        private String runId;
        private Integer maxTokens;
        private Double temperature;
        private Double topP;
        private List<String> stop = List.of();
        private Long seed;
        private Boolean thinking;
        private final Map<String, String> config = new LinkedHashMap<>();

        private Builder() {
        }

        /** {@code llamacpp}, {@code ollama}, {@code vllm}, {@code sglang}; default: {@code default_engine}. */
        public Builder engine(String engine) {
            this.engine = engine;
            return this;
        }

        /** The engine's model name; default: {@code default_model_name}. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /**
         * The model {@link #embed} uses, on the builder's engine (e.g. Ollama's {@code nomic-embed-text});
         * default: the embedded all-MiniLM-L6-v2, in-process, whatever the engine.
         */
        public Builder embeddingModel(String model) {
            this.embeddingModel = model;
            return this;
        }

        /** A run of the supervisor ({@code GET /api/v1/models/running}) instead of engine + model. */
        public Builder runId(String runId) {
            this.runId = runId;
            return this;
        }

        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder topP(double topP) {
            this.topP = topP;
            return this;
        }

        public Builder stop(String... stop) {
            this.stop = List.copyOf(Arrays.asList(stop));
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Turns the model's reasoning on or off where the engine supports it. */
        public Builder thinking(boolean thinking) {
            this.thinking = thinking;
            return this;
        }

        /**
         * A configuration value for the application this build boots, e.g.
         * {@code config("infercore.ollama.base_url", "http://gpu-box:11434")}; it wins over config files
         * and the environment. Refused when the application is already running with other values.
         */
        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        /** Boots the application in this JVM (or uses the running one); sampling values are checked per request. */
        public Inferencer build() {
            return new Inferencer(this, EmbeddedRuntime.acquire(Map.copyOf(config)));
        }
    }
}

package io.infercore.engine.llamacpp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.config.InfercoreConfig;
import io.infercore.config.ModelDirectories;
import io.infercore.engine.Capability;
import io.infercore.engine.EmbeddingResult;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineHealth;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.ModelInfo;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.embedded.EmbeddedEmbeddingModel;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.metrics.EmbeddedQueueMetrics;
import io.infercore.nativeimage.EmbeddedSwitch;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded engine: GGUF models run in-process through java-llama.cpp (JNI). The default
 * model ({@code llamacpp.model_path}) is served under {@code default_model_name}; more models can
 * be loaded under their own names. Requests for a model that is still loading wait for it.
 * Embeddings come from the {@link EmbeddedEmbeddingModel} (ONNX, not llama.cpp): GGUF models
 * here are generation models and are refused for embeddings.
 */
@ApplicationScoped
public class LlamaCppEngine implements EngineAdapter {

    public static final String TYPE = "llamacpp";
    static final String DEFAULT_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf";

    @Inject
    InfercoreConfig config;
    @Inject
    ModelDirectories directories;
    @Inject
    ModelLoader loader;
    @Inject
    EmbeddedEmbeddingModel embeddings;
    /** Off with infercore.embedded.enabled=false (every call a 503 naming the remote engines); in native, embeddings alone are off. */
    @Inject
    EmbeddedSwitch embedded;
    @Inject
    EmbeddedQueueMetrics queueMetrics;

    private final Map<String, CompletableFuture<LoadedModel>> models = new ConcurrentHashMap<>();
    private final AtomicLong cancelledGenerations = new AtomicLong();

    void onStart(@Observes StartupEvent event) {
        if (embedded.enabled() && config.llamacpp().loadOnStart()) {
            load(config.defaultModelName(), defaultModelPath());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        models.keySet().forEach(this::unload);
    }

    /** Where the default model's GGUF is expected. */
    public Path defaultModelPath() {
        return config.llamacpp().modelPath().map(Path::of)
                .orElseGet(() -> directories.gguf().resolve(DEFAULT_GGUF)).toAbsolutePath();
    }

    /** Starts loading a GGUF under {@code name}; the returned future completes when it can serve. */
    public CompletableFuture<Void> load(String name, Path gguf) {
        if (!embedded.enabled()) {
            return CompletableFuture.failedFuture(embedded.unavailable());
        }
        CompletableFuture<LoadedModel> loading = models.computeIfAbsent(name, n -> {
            queueMetrics.watch(n, () -> queueDepth(n));
            return loader.load(n, gguf);
        });
        return loading.thenApply(m -> null);
    }

    /** Unloads {@code name}; in-flight requests on it fail with a 503. */
    public boolean unload(String name) {
        CompletableFuture<LoadedModel> removed = models.remove(name);
        if (removed == null) {
            return false;
        }
        queueMetrics.unwatch(name);
        removed.thenAccept(loader::close);
        return true;
    }

    /** The state of a model: empty when unknown, else loading / ready / failed with the reason. */
    public Optional<String> status(String name) {
        CompletableFuture<LoadedModel> f = models.get(name);
        if (f == null) {
            return Optional.empty();
        }
        if (!f.isDone()) {
            return Optional.of("loading");
        }
        return Optional.of(f.isCompletedExceptionally() ? "failed" : "ready");
    }

    /** Requests waiting for a slot of {@code name}; 0 when it is not loaded and serving. */
    public int queueDepth(String name) {
        CompletableFuture<LoadedModel> f = models.get(name);
        return f == null || !f.isDone() || f.isCompletedExceptionally() ? 0 : f.join().executor().queueDepth();
    }

    /** Generations stopped because their client went away (before or during generation). */
    public long cancelledGenerations() {
        return cancelledGenerations.get();
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * No {@link Capability#LOGPROBS}: llama.cpp computes token probabilities ({@code n_probs}), but
     * the binding cannot hand them over. In de.kherud:llama 4.2.0 the JNI side of
     * {@code LlamaOutput.probabilities} reads the fields {@code probs}/{@code tok_str} of each
     * {@code completion_probabilities} entry, which the llama.cpp server code it bundles no longer
     * writes ({@code top_logprobs}/{@code token}); reading a missing key of a const JSON object is a
     * failed assertion, which aborts the whole process (GGML_ASSERT in json.hpp), gateway included.
     * Even where it works, the map keyed by token text loses order and duplicates. Requests for
     * logprobs are therefore refused with a 400 before anything reaches the native code; see
     * {@code EmbeddedLogprobsProbeTest}, which fails once a binding release fixes this.
     */
    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.GENERATE, Capability.CHAT, Capability.STREAMING,
                Capability.STRUCTURED_OUTPUT, Capability.TOOLS, Capability.EMBEDDINGS, Capability.HEALTH);
    }

    @Override
    public Optional<String> logprobsRefusal() {
        return Optional.of("the llama.cpp binding (de.kherud:llama 4.2.0) aborts the process when asked for token "
                + "probabilities, so the embedded engine does not ask");
    }

    @Override
    public Uni<ModelInfo> resolveModel(String model) {
        return ready(model).map(m -> new ModelInfo(m.name(), m.contextLength()));
    }

    @Override
    public Uni<List<ModelInfo>> listModels() {
        return Uni.createFrom().item(() -> models.entrySet().stream()
                .filter(e -> e.getValue().isDone() && !e.getValue().isCompletedExceptionally())
                .map(e -> new ModelInfo(e.getKey(), e.getValue().join().contextLength()))
                .toList());
    }

    @Override
    public Multi<StreamEvent> stream(GenerationRequest request) {
        checkEngineArgs(request.engineArgs());
        if (request.jsonSchema() != null) {
            JsonSchemaGrammar.cached(request.jsonSchema()); // a 400, or our 500, before anything is queued
        }
        if (request.hasTools()) {
            ToolCalling.grammar(request);
        }
        if (Boolean.TRUE.equals(request.thinking())) {
            throw new InfercoreException(ErrorKind.UNSUPPORTED, "The llamacpp engine has no thinking mode; "
                    + "omit thinking or set it to false", "thinking", null);
        }
        return ready(request.model()).onItem().transformToMulti(model -> Multi.createFrom().emitter(emitter -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            emitter.onTermination(() -> cancelled.set(true));
            model.executor().submit(new TokenLoop(model, request, config.llamacpp().defaultMaxTokens(),
                    emitter, cancelled, cancelledGenerations::incrementAndGet));
        }));
    }

    /** What the grammar built from the schema leaves to the validator. */
    @Override
    public Optional<List<String>> unenforcedKeywords(ObjectNode jsonSchema) {
        return Optional.of(JsonSchemaGrammar.cached(jsonSchema).unenforced());
    }

    @Override
    public Optional<String> defaultEmbeddingModel() {
        return Optional.of(embeddings.name());
    }

    /** Only the embedded embedding model embeds; a GGUF model is refused with a 400 naming the one that does. */
    @Override
    public Uni<EmbeddingResult> embed(String model, List<String> inputs) {
        if (!embedded.enabled()) {
            return Uni.createFrom().failure(embedded.unavailable());
        }
        if (embeddings.serves(model)) {
            if (!embedded.embeddingsEnabled()) {
                return Uni.createFrom().failure(embedded.embeddingsUnavailable());
            }
            return embeddings.embed(inputs);
        }
        if (models.containsKey(model)) {
            return Uni.createFrom().failure(new InfercoreException(ErrorKind.UNSUPPORTED, "Model '" + model
                    + "' is a GGUF generation model: the llamacpp engine computes embeddings only with its embedded "
                    + "embedding model '" + embeddings.name() + "'; set model_name to it or leave model_name out",
                    "model_name", null));
        }
        return Uni.createFrom().failure(InfercoreException.modelNotFound("Model '" + model
                + "' is not an embedding model of the embedded llamacpp engine; it embeds with '"
                + embeddings.name() + "' (" + EmbeddedEmbeddingModel.DIMENSIONS + " dimensions)"));
    }

    @Override
    public Uni<EngineHealth> health() {
        if (!embedded.enabled()) {
            return Uni.createFrom().item(new EngineHealth(TYPE, false, "in-process", embedded.message()));
        }
        return Uni.createFrom().item(() -> {
            String state = status(config.defaultModelName()).orElse("not loaded");
            boolean up = "ready".equals(state);
            String detail = switch (state) {
                case "ready" -> "default model '" + config.defaultModelName() + "' loaded";
                case "failed" -> failureOf(config.defaultModelName());
                default -> "default model '" + config.defaultModelName() + "' " + state;
            };
            return new EngineHealth(TYPE, up, "in-process", detail);
        });
    }

    private Uni<LoadedModel> ready(String name) {
        if (!embedded.enabled()) {
            return Uni.createFrom().failure(embedded.unavailable());
        }
        CompletableFuture<LoadedModel> f = models.get(name);
        if (f == null && embeddings.serves(name)) {
            return Uni.createFrom().failure(new InfercoreException(ErrorKind.UNSUPPORTED, "Model '" + name
                    + "' is an embedding model; use POST /api/v1/llm/embed", "model_name", null));
        }
        if (f == null) {
            return Uni.createFrom().failure(InfercoreException.modelNotFound("Model '" + name
                    + "' is not loaded in the embedded llamacpp engine; loaded: " + models.keySet()
                    + ". Load a GGUF with POST /api/v1/models/start or set llamacpp.model_path"));
        }
        return Uni.createFrom().completionStage(f).onFailure().transform(LlamaCppEngine::unwrap);
    }

    private String failureOf(String name) {
        try {
            models.get(name).join();
            return "";
        } catch (RuntimeException e) {
            return unwrap(e).getMessage();
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static void checkEngineArgs(Map<String, Object> args) {
        for (Map.Entry<String, Object> e : args.entrySet()) {
            if (!TokenLoop.ENGINE_ARGS.contains(e.getKey())) {
                throw new InfercoreException(ErrorKind.UNSUPPORTED, "engine_args." + e.getKey()
                        + " is not supported by the llamacpp engine; supported: " + TokenLoop.ENGINE_ARGS,
                        "engine_args", null);
            }
            Class<?> expected = switch (e.getKey()) {
                case "grammar" -> String.class;
                case "ignore_eos" -> Boolean.class;
                default -> Number.class;
            };
            if (!expected.isInstance(e.getValue())) {
                throw InfercoreException.invalid("engine_args", "engine_args." + e.getKey() + " must be a "
                        + expected.getSimpleName().toLowerCase());
            }
            if (e.getKey().equals("grammar")) {
                // llama.cpp would print its parse error to stderr and then generate unconstrained.
                GbnfCheck.problem((String) e.getValue()).ifPresent(problem -> {
                    throw InfercoreException.invalid("engine_args", "engine_args.grammar is not a GBNF grammar "
                            + "llama.cpp can use: " + problem);
                });
            }
        }
    }
}

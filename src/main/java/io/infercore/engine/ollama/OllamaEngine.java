package io.infercore.engine.ollama;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.config.InfercoreConfig;
import io.infercore.engine.Capability;
import io.infercore.engine.EmbeddingResult;
import io.infercore.engine.EndpointRegistry;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineHealth;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.ModelInfo;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.UpstreamErrors;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.engine.http.EngineHttp;
import io.infercore.engine.http.Framing;
import io.infercore.engine.openai.RemoteEndpoint;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Ollama engine ({@code engine_type: "ollama"}) at {@code ollama.base_url}: chat through
 * LangChain4j ({@link ChatStream}), raw-prompt generation read by us ({@link GenerateStream}, see
 * there why), and the model-management routes, exposed here as public methods for the supervisor:
 * all on the one transport ({@link EngineHttp}, with {@code ollama.timeouts}). Every failure goes
 * through {@link UpstreamErrors}.
 *
 * <p>Model names follow Ollama: {@code llama3.2} means {@code llama3.2:latest}.
 */
@ApplicationScoped
public class OllamaEngine implements EngineAdapter {

    public static final String TYPE = "ollama";

    private final String instance;
    private final String baseUrl;
    private final String apiKey;
    private final InfercoreConfig.Timeouts timeouts;
    private final EngineHttp http;
    private final ObjectMapper mapper;
    /** Checks, after a cancelled stream, that Ollama did not keep the model's slot (see there). */
    private final OllamaSlots slots;
    /** The transports of the Ollama servers supervised runs live on (Kubernetes Pods), by base URL. */
    private final Map<String, EngineHttp> runServers = new ConcurrentHashMap<>();

    /**
     * Ollama servers of supervised runs by model (the Kubernetes backend's Pods); without an entry
     * the configured {@code base_url} serves. Null outside CDI.
     */
    @Inject
    EndpointRegistry registry;

    /** The adapters of {@code ollama.instances}, by instance name (only on the default instance's adapter). */
    private Map<String, EngineAdapter> named = Map.of();

    @Inject
    public OllamaEngine(InfercoreConfig config, Vertx vertx, ObjectMapper mapper) {
        this(config.ollama().baseUrl(), config.ollama().timeouts(), vertx, mapper);
        Map<String, EngineAdapter> instances = new java.util.TreeMap<>();
        config.ollama().instances().forEach((name, at) -> instances.put(name, new OllamaEngine(name, at.baseUrl(),
                at.apiKey().orElse(null), config.ollama().timeouts(), mapper)));
        this.named = Map.copyOf(instances);
    }

    /** An engine for another Ollama server (e.g. one the supervisor started); {@link #close()} it when done. */
    public OllamaEngine(String baseUrl, InfercoreConfig.Timeouts timeouts, Vertx vertx, ObjectMapper mapper) {
        this(null, baseUrl, null, timeouts, mapper);
    }

    /** The adapter of the named instance {@code instance} ({@code ollama.instances.<instance>}), or of the default when null. */
    private OllamaEngine(String instance, String baseUrl, String apiKey, InfercoreConfig.Timeouts timeouts,
                         ObjectMapper mapper) {
        this.instance = instance;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.timeouts = timeouts;
        this.http = server(this.baseUrl);
        this.mapper = mapper;
        this.slots = new OllamaSlots(mapper);
    }

    private EngineHttp server(String url) {
        return new EngineHttp(RemoteEndpoint.of(address(), Optional.of(url), Optional.ofNullable(apiKey), timeouts));
    }

    @Override
    public String instance() {
        return instance;
    }

    @Override
    public Map<String, EngineAdapter> namedInstances() {
        return named;
    }

    /** A replica of a supervised run serving {@code model}, counted in flight until closed; empty: the configured server. */
    private Optional<EndpointRegistry.Lease> lease(String model) {
        if (registry == null || model == null) {
            return Optional.empty();
        }
        Optional<EndpointRegistry.Lease> lease = registry.acquire(TYPE, model);
        return lease.isPresent() || model.equals(normalize(model)) ? lease : registry.acquire(TYPE, normalize(model));
    }

    /** The transport of the server that serves {@code model}: a supervised run's replica, else the configured one. */
    private EngineHttp serverFor(String model) {
        if (registry == null || model == null) {
            return http;
        }
        Optional<String> url = registry.baseUrl(TYPE, model).or(() -> registry.baseUrl(TYPE, normalize(model)));
        return url.map(this::serverAt).orElse(http);
    }

    private EngineHttp serverAt(String url) {
        return runServers.computeIfAbsent(url, this::server);
    }

    /** Nothing to release: the transport's connections are shared ({@link EngineHttp}); kept for callers. */
    @PreDestroy
    public void close() {
        // the shared client outlives any one engine
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The Bearer token this server wants (a named instance's {@code api_key}); null when none. Never logged. */
    String apiKey() {
        return apiKey;
    }

    /** Ollama's spelling of a model name: a name without a tag gets {@code :latest}. */
    public static String normalize(String model) {
        String last = model.substring(model.lastIndexOf('/') + 1);
        return last.contains(":") ? model : model + ":latest";
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.GENERATE, Capability.CHAT, Capability.STREAMING,
                Capability.STRUCTURED_OUTPUT, Capability.TOOLS, Capability.LOGPROBS, Capability.EMBEDDINGS,
                Capability.HEALTH);
    }

    /** Checks the model with {@code /api/show}; its context length comes from {@code model_info}. */
    @Override
    public Uni<ModelInfo> resolveModel(String model) {
        String name = normalize(model);
        return show(model).map(card -> new ModelInfo(name, card.contextLength()));
    }

    @Override
    public Uni<List<ModelInfo>> listModels() {
        return tags().map(models -> models.stream().map(m -> new ModelInfo(m.name(), 0)).toList());
    }

    @Override
    public Multi<StreamEvent> stream(GenerationRequest request) {
        return Multi.createFrom().deferred(() -> {
            OllamaOptions options = OllamaOptions.of(request);
            Optional<EndpointRegistry.Lease> lease = lease(request.model());
            EngineHttp server = lease.map(l -> serverAt(l.baseUrl())).orElse(http);
            Multi<StreamEvent> events = slots.guard(server, request.model(), options, () -> request.isChat()
                    ? ChatStream.open(server, mapper, request, options)
                    : GenerateStream.open(server, mapper, request, options))
                    .onTermination().invoke(() -> lease.ifPresent(EndpointRegistry.Lease::close));
            return events.onFailure(OllamaEngine::isContextOverflow).recoverWithMulti(t ->
                    withContextSize(request.model(), options, (InfercoreException) t)
                            .onItem().transformToMulti(e -> Multi.createFrom().<StreamEvent>failure(e)));
        });
    }

    @Override
    public Uni<EmbeddingResult> embed(String model, List<String> inputs) {
        String name = normalize(model);
        return call(HttpMethod.POST, "/api/embed", new OllamaWire.EmbedRequest(name, inputs), model,
                        OllamaWire.EmbedResponse.class)
                .map(r -> {
                    List<float[]> vectors = r.embeddings() == null ? List.of() : r.embeddings();
                    int dims = vectors.isEmpty() ? 0 : vectors.get(0).length;
                    return new EmbeddingResult(vectors, dims, name, r.promptEvalCount() == null ? 0 : r.promptEvalCount());
                });
    }

    /** Up when {@code GET /} answers 200; the detail names the version, or why it is down and how to start it. */
    @Override
    public Uni<EngineHealth> health() {
        Duration probe = http.endpoint().connect().plusSeconds(5);
        return http.get("/", probe)
                .chain(root -> {
                    if (root.statusCode() != 200) {
                        throw UpstreamErrors.fromStatus(TYPE, baseUrl, null, root.statusCode(), root.body());
                    }
                    return version();
                })
                .map(v -> new EngineHealth(address(), true, baseUrl, "Ollama " + v + " is running"))
                .onFailure().recoverWithItem(t -> new EngineHealth(address(), false, baseUrl, http.transportError(t).getMessage()));
    }

    // ---- model management (used by the supervisor) -------------------------------------------

    /** {@code GET /api/version}. */
    public Uni<String> version() {
        return call(HttpMethod.GET, "/api/version", null, null, OllamaWire.Version.class).map(OllamaWire.Version::version);
    }

    /** {@code GET /api/tags}: models stored on the server. */
    public Uni<List<OllamaWire.LocalModel>> tags() {
        return call(HttpMethod.GET, "/api/tags", null, null, OllamaWire.Tags.class)
                .map(t -> t.models() == null ? List.<OllamaWire.LocalModel>of() : t.models());
    }

    /** {@code GET /api/ps}: models loaded in memory, with the context length each runs with. */
    public Uni<List<OllamaWire.RunningModel>> ps() {
        return call(HttpMethod.GET, "/api/ps", null, null, OllamaWire.Running.class)
                .map(r -> r.models() == null ? List.<OllamaWire.RunningModel>of() : r.models());
    }

    /** {@code POST /api/show}: 404 with the pull hint when the server lacks the model. */
    public Uni<OllamaWire.ModelCard> show(String model) {
        return call(HttpMethod.POST, "/api/show", new OllamaWire.ModelRef(normalize(model)), model, OllamaWire.ModelCard.class);
    }

    /**
     * {@code POST /api/pull} as progress events ending with status {@code success}. Ollama reports
     * a failed pull (e.g. an unknown name) as an {@code {"error"}} line in its 200 stream; that
     * fails the Multi, with 404 when the registry has no such model.
     */
    public Multi<OllamaWire.PullProgress> pull(String model) {
        String name = normalize(model);
        return http.stream("/api/pull", write(new OllamaWire.PullRequest(name, true)), Framing.NDJSON, model, false)
                .map(line -> read(line, OllamaWire.PullLine.class))
                .map(line -> {
                    if (line.error() != null) {
                        throw pullFailure(model, line.error());
                    }
                    return new OllamaWire.PullProgress(line.status(), line.digest(), line.total(), line.completed());
                });
    }

    /** {@code DELETE /api/delete}: removes the model from the server's disk. */
    public Uni<Void> delete(String model) {
        return http.send(HttpMethod.DELETE, "/api/delete", write(new OllamaWire.ModelRef(normalize(model))), model)
                .replaceWithVoid();
    }

    /** Unloads the model from memory now ({@code keep_alive: 0}); it stays on disk. */
    public Uni<Void> unload(String model) {
        String name = normalize(model);
        return http.send(HttpMethod.POST, "/api/generate",
                write(new OllamaWire.GenerateRequest(name, null, false, null, null, 0, null, null, null, null)), model).replaceWithVoid();
    }

    // ---- errors ------------------------------------------------------------------------------

    /** {@code method path} with a JSON body (or none); the 2xx answer read as {@code type}. */
    private <T> Uni<T> call(HttpMethod method, String path, Object body, String model, Class<T> type) {
        return Uni.createFrom().deferred(() -> serverFor(model).send(method, path, body == null ? null : write(body), model))
                .map(text -> read(text, type));
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            String shown = json.length() > 200 ? json.substring(0, 200) + "..." : json;
            throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, address() + " at " + baseUrl + " answered something we "
                    + "could not read (" + e.getOriginalMessage() + "): " + shown);
        }
    }

    private static InfercoreException pullFailure(String model, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("file does not exist") || lower.contains("not found")) {
            return InfercoreException.modelNotFound("ollama cannot pull model '" + model + "': " + message
                    + "; check the model name and tag");
        }
        return new InfercoreException(ErrorKind.UPSTREAM_ERROR, "ollama failed to pull model '" + model + "': " + message);
    }

    private static boolean isContextOverflow(Throwable t) {
        return t instanceof InfercoreException e && e.kind() == ErrorKind.CONTEXT_OVERFLOW;
    }

    /**
     * Ollama's overflow message has no numbers; add the context size the model runs with (the
     * request's {@code num_ctx}, else {@code /api/ps}), which is what the user has to compare with.
     */
    private Uni<InfercoreException> withContextSize(String model, OllamaOptions options, InfercoreException e) {
        Uni<Integer> size = options.numCtx() != null ? Uni.createFrom().item(options.numCtx())
                : ps().map(running -> running.stream().filter(m -> model.equals(m.name()) || model.equals(m.model()))
                        .mapToInt(OllamaWire.RunningModel::contextLength).filter(n -> n > 0).boxed().findFirst().orElse(null))
                .onFailure().recoverWithNull();
        return size.map(n -> n == null ? e : new InfercoreException(ErrorKind.CONTEXT_OVERFLOW, e.getMessage()
                + "; model '" + model + "' runs with a context of " + n + " tokens (num_ctx): shorten the prompt, "
                + "raise engine_args.num_ctx, or set engine_args.truncate to let Ollama cut it", e.param(), null));
    }
}

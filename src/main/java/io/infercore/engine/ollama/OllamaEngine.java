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
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Ollama engine ({@code engine_type: "ollama"}) at {@code ollama.base_url}: chat through
 * LangChain4j ({@link ChatStream}), raw-prompt generation on our own NDJSON client
 * ({@link GenerateStream}, see there why), and the model-management routes through a Quarkus REST
 * client ({@link OllamaApi}), exposed here as public methods for the supervisor. Every failure
 * goes through {@link UpstreamErrors}.
 *
 * <p>Model names follow Ollama: {@code llama3.2} means {@code llama3.2:latest}.
 */
@ApplicationScoped
public class OllamaEngine implements EngineAdapter {

    public static final String TYPE = "ollama";

    private final String baseUrl;
    private final InfercoreConfig.Timeouts timeouts;
    private final OllamaApi api;
    private final NdjsonCalls calls;
    /** REST clients of the Ollama servers supervised runs live on (Kubernetes Pods), by base URL. */
    private final Map<String, OllamaApi> runApis = new ConcurrentHashMap<>();

    /**
     * Ollama servers of supervised runs by model (the Kubernetes backend's Pods); without an entry
     * the configured {@code base_url} serves. Null outside CDI.
     */
    @Inject
    EndpointRegistry registry;

    @Inject
    public OllamaEngine(InfercoreConfig config, Vertx vertx, ObjectMapper mapper) {
        this(config.ollama().baseUrl(), config.ollama().timeouts(), vertx, mapper);
    }

    /** An engine for another Ollama server (e.g. one the supervisor started); {@link #close()} it when done. */
    public OllamaEngine(String baseUrl, InfercoreConfig.Timeouts timeouts, Vertx vertx, ObjectMapper mapper) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeouts = timeouts;
        this.api = client(this.baseUrl);
        this.calls = new NdjsonCalls(vertx, mapper, this.baseUrl, timeouts);
    }

    private OllamaApi client(String url) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(url))
                .connectTimeout(timeouts.connect().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeouts.firstToken().toMillis(), TimeUnit.MILLISECONDS)
                .build(OllamaApi.class);
    }

    /** A replica of a supervised run serving {@code model}, counted in flight until closed; empty: the configured server. */
    private Optional<EndpointRegistry.Lease> lease(String model) {
        if (registry == null) {
            return Optional.empty();
        }
        Optional<EndpointRegistry.Lease> lease = registry.acquire(TYPE, model);
        return lease.isPresent() || model.equals(normalize(model)) ? lease : registry.acquire(TYPE, normalize(model));
    }

    /** The REST client of the server that serves {@code model}: a supervised run's replica, else the configured one. */
    private OllamaApi apiFor(String model) {
        if (registry == null) {
            return api;
        }
        Optional<String> url = registry.baseUrl(TYPE, model).or(() -> registry.baseUrl(TYPE, normalize(model)));
        return url.map(u -> runApis.computeIfAbsent(u, this::client)).orElse(api);
    }

    @PreDestroy
    public void close() {
        calls.close();
        runApis.values().forEach(OllamaEngine::closeQuietly);
        closeQuietly(api);
    }

    private static void closeQuietly(OllamaApi api) {
        if (api instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // closing a client never fails in a way we could act on
            }
        }
    }

    public String baseUrl() {
        return baseUrl;
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
                Capability.STRUCTURED_OUTPUT, Capability.TOOLS, Capability.EMBEDDINGS, Capability.HEALTH);
    }

    @Override
    public Optional<String> logprobsRefusal() {
        return Optional.of("Ollama's own logprobs (API 0.12.11 and later) are not mapped by infercore yet");
    }

    /** Checks the model with {@code /api/show}; its context length comes from {@code model_info}. */
    @Override
    public Uni<ModelInfo> resolveModel(String model) {
        String name = normalize(model);
        return apiFor(model).show(new OllamaWire.ModelRef(name))
                .map(card -> new ModelInfo(name, card.contextLength()))
                .onFailure().transform(t -> failure(model, t));
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
            String url = lease.map(EndpointRegistry.Lease::baseUrl).orElse(baseUrl);
            Multi<StreamEvent> events = (request.isChat()
                    ? ChatStream.open(calls, url, request, options)
                    : GenerateStream.open(calls, url, request, options)).onTermination().invoke(() -> lease.ifPresent(
                            EndpointRegistry.Lease::close));
            return events.onFailure(OllamaEngine::isContextOverflow).recoverWithMulti(t ->
                    withContextSize(request.model(), options, (InfercoreException) t)
                            .onItem().transformToMulti(e -> Multi.createFrom().<StreamEvent>failure(e)));
        });
    }

    @Override
    public Uni<EmbeddingResult> embed(String model, List<String> inputs) {
        String name = normalize(model);
        return apiFor(model).embed(new OllamaWire.EmbedRequest(name, inputs))
                .map(r -> {
                    List<float[]> vectors = r.embeddings() == null ? List.of() : r.embeddings();
                    int dims = vectors.isEmpty() ? 0 : vectors.get(0).length;
                    return new EmbeddingResult(vectors, dims, name, r.promptEvalCount() == null ? 0 : r.promptEvalCount());
                })
                .onFailure().transform(t -> failure(model, t));
    }

    /** Up when {@code GET /} answers 200; the detail names the version, or why it is down and how to start it. */
    @Override
    public Uni<EngineHealth> health() {
        return api.root().chain(() -> version())
                .map(v -> new EngineHealth(TYPE, true, baseUrl, "Ollama " + v + " is running"))
                .onFailure().recoverWithItem(t -> new EngineHealth(TYPE, false, baseUrl, failure(null, t).getMessage()));
    }

    // ---- model management (used by the supervisor) -------------------------------------------

    /** {@code GET /api/version}. */
    public Uni<String> version() {
        return api.version().map(OllamaWire.Version::version).onFailure().transform(t -> failure(null, t));
    }

    /** {@code GET /api/tags}: models stored on the server. */
    public Uni<List<OllamaWire.LocalModel>> tags() {
        return api.tags().map(t -> t.models() == null ? List.<OllamaWire.LocalModel>of() : t.models())
                .onFailure().transform(t -> failure(null, t));
    }

    /** {@code GET /api/ps}: models loaded in memory, with the context length each runs with. */
    public Uni<List<OllamaWire.RunningModel>> ps() {
        return api.ps().map(r -> r.models() == null ? List.<OllamaWire.RunningModel>of() : r.models())
                .onFailure().transform(t -> failure(null, t));
    }

    /** {@code POST /api/show}: 404 with the pull hint when the server lacks the model. */
    public Uni<OllamaWire.ModelCard> show(String model) {
        return api.show(new OllamaWire.ModelRef(normalize(model))).onFailure().transform(t -> failure(model, t));
    }

    /**
     * {@code POST /api/pull} as progress events ending with status {@code success}. Ollama reports
     * a failed pull (e.g. an unknown name) as an {@code {"error"}} line in its 200 stream; that
     * fails the Multi, with 404 when the registry has no such model.
     */
    public Multi<OllamaWire.PullProgress> pull(String model) {
        String name = normalize(model);
        return api.pull(new OllamaWire.PullRequest(name, true))
                .onFailure().transform(t -> failure(model, t))
                .map(node -> calls.convert(node, OllamaWire.PullLine.class))
                .map(line -> {
                    if (line.error() != null) {
                        throw pullFailure(model, line.error());
                    }
                    return new OllamaWire.PullProgress(line.status(), line.digest(), line.total(), line.completed());
                });
    }

    /** {@code DELETE /api/delete}: removes the model from the server's disk. */
    public Uni<Void> delete(String model) {
        return api.delete(new OllamaWire.ModelRef(normalize(model))).onFailure().transform(t -> failure(model, t));
    }

    /** Unloads the model from memory now ({@code keep_alive: 0}); it stays on disk. */
    public Uni<Void> unload(String model) {
        String name = normalize(model);
        return api.generateOnce(new OllamaWire.GenerateRequest(name, null, false, null, null, 0, null, null))
                .replaceWithVoid()
                .onFailure().transform(t -> failure(model, t));
    }

    // ---- errors ------------------------------------------------------------------------------

    /** A REST-client failure, mapped: an HTTP status with Ollama's error text, or a transport failure. */
    private InfercoreException failure(String model, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InfercoreException e) {
                return e;
            }
            if (t instanceof WebApplicationException w && w.getResponse() != null) {
                return UpstreamErrors.fromStatus(TYPE, baseUrl, model, w.getResponse().getStatus(), errorText(w));
            }
        }
        return UpstreamErrors.fromTransport(TYPE, baseUrl, failure);
    }

    private String errorText(WebApplicationException w) {
        try {
            return calls.errorText(w.getResponse().readEntity(String.class));
        } catch (RuntimeException unreadable) {
            return null;
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

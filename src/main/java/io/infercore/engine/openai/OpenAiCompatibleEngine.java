package io.infercore.engine.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.engine.Capability;
import io.infercore.engine.EmbeddingResult;
import io.infercore.engine.EndpointRegistry;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineHealth;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.ModelInfo;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.UpstreamErrors;
import io.infercore.engine.http.EngineHttp;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What vLLM and SGLang adapters share: an OpenAI-compatible server at one base URL. Chat goes
 * through LangChain4j ({@link OpenAiChat}); model names are checked against {@code /v1/models}
 * (cached for a few seconds); embeddings use {@code /v1/embeddings}; every call is bounded by
 * the engine's timeouts in the transport ({@link io.infercore.engine.http.CallPolicy}). Subclasses choose the raw-prompt route, the health
 * path, model aliases and which {@code engine_args} they honour.
 */
public abstract class OpenAiCompatibleEngine implements EngineAdapter {

    /** How long a server's {@code GET /v1/models} answer is reused. */
    public static final Duration MODELS_TTL = Duration.ofSeconds(5);
    private static final long MODELS_TTL_NANOS = MODELS_TTL.toNanos();

    /** One server: its HTTP client, the routes built on it, and the models it serves (cached briefly). */
    protected static final class Remote {
        private final EngineHttp http;
        private final OpenAiChat chat;
        private final OpenAiCompletions completions;
        private volatile ServedModels served;
        /** The {@code GET /v1/models} in flight, shared by every caller meanwhile. */
        private final io.infercore.engine.SingleFlight<ServedModels> fetching = new io.infercore.engine.SingleFlight<>();

        Remote(RemoteEndpoint endpoint) {
            this.http = new EngineHttp(endpoint);
            this.chat = new OpenAiChat(http);
            this.completions = new OpenAiCompletions(http);
        }

        public EngineHttp http() {
            return http;
        }

        public OpenAiCompletions completions() {
            return completions;
        }
    }

    /** {@code fetchedAt}: when the request was sent, so an answer is never younger than it says. */
    private record ServedModels(List<ModelInfo> models, long fetchedAt) {
    }

    /**
     * Servers the supervisor launched or attached, by served model name; without an entry the
     * configured {@code base_url} answers. Null outside CDI.
     */
    @Inject
    EndpointRegistry registry;

    private volatile Remote remote;
    private final Map<String, Remote> runRemotes = new ConcurrentHashMap<>();
    private String instance;
    private Map<String, EngineAdapter> named = Map.of();

    /** Points the adapter at {@code endpoint} (a new HTTP client; the model cache is dropped). */
    protected final void configure(RemoteEndpoint endpoint) {
        remote = new Remote(endpoint);
        runRemotes.clear();
    }

    /** Makes this adapter the named instance {@code name} of its engine ({@code <engine>.instances.<name>}). */
    protected final void nameInstance(String name) {
        this.instance = name;
    }

    /**
     * Adapters for {@code instances} ({@code <engine>.instances}), each built by {@code factory} from
     * its endpoint: this one's timeouts and breaker settings, the instance's URL and only its own key.
     */
    protected final void configureInstances(Map<String, io.infercore.config.InfercoreConfig.EngineInstance> instances,
                                            java.util.function.Function<RemoteEndpoint, OpenAiCompatibleEngine> factory) {
        Map<String, EngineAdapter> built = new java.util.TreeMap<>();
        instances.forEach((name, at) -> {
            RemoteEndpoint base = endpoint().withBaseUrl(at.baseUrl()).withApiKey(at.apiKey().orElse(null));
            OpenAiCompatibleEngine engine = factory.apply(base.withEngine(type() + ':' + name));
            engine.nameInstance(name);
            built.put(name, engine);
        });
        named = Map.copyOf(built);
    }

    @Override
    public String instance() {
        return instance;
    }

    @Override
    public Map<String, EngineAdapter> namedInstances() {
        return named;
    }

    /** The configured server ({@code base_url}); runs may live elsewhere, see {@link #remoteFor(String)}. */
    public RemoteEndpoint endpoint() {
        return remote.http().endpoint();
    }

    protected EngineHttp http() {
        return remote.http();
    }

    /** The server that serves {@code model}: a supervised run's replica when there is one, else the configured one. */
    protected Remote remoteFor(String model) {
        Optional<String> url = registry == null ? Optional.empty() : registry.baseUrl(type(), servedName(model));
        return url.map(this::remoteAt).orElse(remote);
    }

    private Remote remoteAt(String baseUrl) {
        return runRemotes.computeIfAbsent(baseUrl, url -> new Remote(endpoint().withBaseUrl(url)));
    }

    /**
     * Runs {@code call} on the least-busy live replica serving the request's model, counting it in
     * flight until it ends; on the configured server when no supervised run serves the model.
     * A replica whose connection is refused or reset before anything reached the client (its Pod
     * or process died and the supervisor has not seen it yet) is marked down in the registry, the
     * failover every backend shares, and the request goes once to another live replica; a stream
     * that already sent events is not retried: its client gets the error in the stream.
     */
    private <T> Multi<T> onServer(GenerationRequest request, java.util.function.Function<Remote, Multi<T>> call) {
        Optional<EndpointRegistry.Lease> lease = lease(request);
        if (lease.isEmpty()) {
            if (!endpoint().configured()) {
                return Multi.createFrom().failure(endpoint().notConfigured());
            }
            return call.apply(remote);
        }
        return onReplica(request, call, lease.get(), true);
    }

    private <T> Multi<T> onReplica(GenerationRequest request, java.util.function.Function<Remote, Multi<T>> call,
                                   EndpointRegistry.Lease held, boolean mayRetry) {
        java.util.concurrent.atomic.AtomicBoolean sent = new java.util.concurrent.atomic.AtomicBoolean();
        Multi<T> answer = call.apply(remoteAt(held.baseUrl())).onItem().invoke(item -> sent.set(true))
                .onTermination().invoke(held::close);
        return answer.onFailure(t -> !sent.get() && UpstreamErrors.connectionLost(t)).recoverWithMulti(t -> {
            registry.markDown(held);
            Optional<EndpointRegistry.Lease> other = mayRetry ? lease(request) : Optional.empty();
            return other.isEmpty() ? Multi.createFrom().failure(t) : onReplica(request, call, other.get(), false);
        });
    }

    private Optional<EndpointRegistry.Lease> lease(GenerationRequest request) {
        return registry == null ? Optional.empty()
                : registry.acquire(type(), servedName(request.model()), affinityKey(request, registry.prefixAffinityChars()));
    }

    /**
     * The leading {@code chars} characters of the prompt as the engine sees it (a raw prompt, or
     * the messages in order) for prefix affinity; null when it is off.
     */
    static CharSequence affinityKey(GenerationRequest request, int chars) {
        if (chars <= 0) {
            return null;
        }
        if (request.prompt() != null) {
            return request.prompt();
        }
        StringBuilder key = new StringBuilder();
        for (var m : request.messages() == null ? List.<io.infercore.engine.ChatMessage>of() : request.messages()) {
            key.append(m.role()).append('\n').append(m.content() == null ? "" : m.content()).append('\n');
            if (key.length() >= chars) {
                break;
            }
        }
        return key;
    }

    /** The path that answers 200 when the engine can generate. */
    protected abstract String healthPath();

    /** Body fields the chat route adds for this request; refuses what the engine cannot do (400). */
    protected abstract Map<String, Object> chatExtras(GenerationRequest request);

    /** A raw-prompt generation on {@code server}, streamed. */
    protected abstract Multi<StreamEvent> streamPrompt(GenerationRequest request, Remote server);

    /** A raw-prompt generation on {@code server}, whole. */
    protected abstract Uni<GenerationResult> generatePrompt(GenerationRequest request, Remote server);

    /** The name the server serves for a name users type (aliases); the same name by default. */
    protected String servedName(String requested) {
        return requested;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.GENERATE, Capability.CHAT, Capability.STREAMING, Capability.STRUCTURED_OUTPUT,
                Capability.TOOLS, Capability.LOGPROBS, Capability.EMBEDDINGS, Capability.HEALTH);
    }

    @Override
    public Uni<ModelInfo> resolveModel(String model) {
        String wanted = servedName(model);
        Remote server = remoteFor(model);
        return models(server, false).chain(list -> find(list, model, wanted) != null ? Uni.createFrom().item(list)
                        : models(server, true))
                .map(list -> {
                    ModelInfo found = find(list, model, wanted);
                    if (found == null) {
                        throw notServed(server, model, wanted, list);
                    }
                    return found;
                });
    }

    @Override
    public Uni<List<ModelInfo>> listModels() {
        return models(remote, false);
    }

    @Override
    public Multi<StreamEvent> stream(GenerationRequest request) {
        return Multi.createFrom().deferred(() -> onServer(request, server -> request.isChat()
                ? server.chat.stream(request, chatExtras(request)) : streamPrompt(request, server)));
    }

    @Override
    public Uni<GenerationResult> generate(GenerationRequest request) {
        return Uni.createFrom().deferred(() -> onServer(request, server -> (request.isChat()
                ? server.chat.generate(request, chatExtras(request)) : generatePrompt(request, server)).toMulti())
                .toUni());
    }

    @Override
    public Uni<EmbeddingResult> embed(String model, List<String> inputs) {
        String name = servedName(model);
        return remoteFor(model).http().postJson("/v1/embeddings", Map.of("model", name, "input", inputs), name).map(answer -> {
            List<JsonNode> rows = new ArrayList<>();
            answer.path("data").forEach(rows::add);
            rows.sort((a, b) -> Integer.compare(a.path("index").asInt(), b.path("index").asInt()));
            List<float[]> vectors = new ArrayList<>();
            for (JsonNode row : rows) {
                JsonNode values = row.path("embedding");
                float[] vector = new float[values.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = (float) values.get(i).asDouble();
                }
                vectors.add(vector);
            }
            int dimensions = vectors.isEmpty() ? 0 : vectors.get(0).length;
            return new EmbeddingResult(vectors, dimensions, answer.path("model").asText(name),
                    answer.path("usage").path("prompt_tokens").asInt(0));
        });
    }

    @Override
    public Uni<EngineHealth> health() {
        RemoteEndpoint endpoint = endpoint();
        if (!endpoint.configured()) {
            return Uni.createFrom().item(new EngineHealth(address(), false, endpoint.displayUrl(),
                    endpoint.notConfigured().getMessage()));
        }
        return http().get(healthPath(), probeTimeout())
                .map(response -> new EngineHealth(address(), response.statusCode() == 200, endpoint.baseUrl(),
                        response.statusCode() == 200 ? "ready" : "GET " + healthPath() + " answered "
                                + response.statusCode() + " at " + endpoint.baseUrl() + " (starting or failed)"))
                .onFailure().recoverWithItem(t -> new EngineHealth(address(), false, endpoint.baseUrl(),
                        http().transportError(t).getMessage()));
    }

    /** {@code response_format} for a JSON Schema: honoured by every vLLM version and by SGLang. */
    protected static Map<String, Object> responseFormat(ObjectNode schema) {
        return Map.of("type", "json_schema", "json_schema", Map.of("name", "output", "schema", schema));
    }

    /** {@code chat_template_kwargs.enable_thinking}, the switch Qwen3-style templates read on vLLM and SGLang. */
    protected static void putThinking(Map<String, Object> body, Boolean thinking) {
        if (thinking != null) {
            body.put("chat_template_kwargs", Map.of("enable_thinking", thinking));
        }
    }

    /** A 400 naming the refused key and what the engine takes instead. */
    protected InfercoreException unsupportedArg(String key, Set<String> supported) {
        return new InfercoreException(ErrorKind.UNSUPPORTED, "engine_args." + key + " is not supported by the "
                + type() + " engine; supported: " + new TreeSet<>(supported), "engine_args", null);
    }

    protected static Map<String, Object> newBody() {
        return new LinkedHashMap<>();
    }

    private Duration probeTimeout() {
        return endpoint().connect().plusSeconds(5);
    }

    /**
     * The server's model list, reused for {@link #MODELS_TTL}. One request at a time per server:
     * callers that need a list while one is being fetched share it (a burst arriving as the list
     * expires asks the server once). {@code refresh}: the cached list lacked a name, so the answer
     * must come from a request sent after this call (a model loaded a moment ago is then found).
     */
    private Uni<List<ModelInfo>> models(Remote server, boolean refresh) {
        long now = System.nanoTime();
        ServedModels cached = server.served;
        if (!refresh && cached != null && now - cached.fetchedAt() < MODELS_TTL_NANOS) {
            return Uni.createFrom().item(cached.models());
        }
        return fetchShared(server).chain(answer -> !refresh || answer.fetchedAt() - now >= 0
                ? Uni.createFrom().item(answer) : fetchShared(server)).map(ServedModels::models);
    }

    private Uni<ServedModels> fetchShared(Remote server) {
        return server.fetching.get(() -> {
            long sent = System.nanoTime();
            return server.http().getJson("/v1/models", probeTimeout()).map(answer -> {
                if (!answer.path("data").isArray()) {
                    String shown = answer.toString();
                    throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, address() + " at " + server.http().endpoint().displayUrl()
                            + " answered GET /v1/models without a data list: "
                            + (shown.length() > 300 ? shown.substring(0, 300) + "..." : shown));
                }
                List<ModelInfo> models = new ArrayList<>();
                answer.path("data").forEach(card -> models.add(new ModelInfo(card.path("id").asText(),
                        card.path("max_model_len").asInt(0))));
                ServedModels served = new ServedModels(List.copyOf(models), sent);
                server.served = served;
                return served;
            });
        });
    }

    private static ModelInfo find(List<ModelInfo> models, String requested, String wanted) {
        for (String name : new String[] {requested, wanted}) {
            for (ModelInfo m : models) {
                if (m.name().equals(name)) {
                    return m;
                }
            }
        }
        return null;
    }

    private InfercoreException notServed(Remote server, String requested, String wanted, List<ModelInfo> models) {
        String alias = wanted.equals(requested) ? "" : " (alias of '" + wanted + "')";
        return InfercoreException.modelNotFound(address() + " at " + server.http().endpoint().baseUrl() + " does not serve model '"
                + requested + "'" + alias + "; it serves " + models.stream().map(ModelInfo::name).toList()
                + ". The server serves only the model it was started with: use one of those names, or start a server "
                + "for this model (" + UpstreamErrors.startHint(type()).replaceFirst("^start it with ", "") + ")");
    }
}

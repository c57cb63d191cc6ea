package io.infercore.engine.vllm;

import io.infercore.config.InfercoreConfig;
import io.infercore.engine.Capability;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.RerankResult;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.openai.OpenAiCompatibleEngine;
import io.infercore.engine.openai.RemoteEndpoint;
import io.infercore.engine.http.EngineHttp;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A vLLM OpenAI-compatible server ({@code vllm serve}) at {@code vllm.base_url}. Chat goes to
 * {@code /v1/chat/completions} (through LangChain4j), raw prompts to {@code /v1/completions},
 * health to {@code /health}. Without a base URL the adapter still exists and answers 503 with
 * how to start a server.
 *
 * <p>{@code engine_args}: the sampling extras vLLM takes on both routes ({@link #SAMPLING_ARGS})
 * are passed as they are. The constraints {@code regex}, {@code choice} and {@code grammar}
 * (also spelled {@code guided_regex}, {@code guided_choice}, {@code guided_grammar}) are sent as
 * vLLM's {@code structured_outputs} object, the only form vLLM ≥ 0.12 honours (it silently
 * ignores {@code guided_*}); servers before 0.10.2 do not know that object. JSON Schema output
 * always uses {@code response_format}, which every version honours. Anything else is a 400.
 * Rerank goes to {@code /v1/rerank} (a server running a reranking model).
 */
@ApplicationScoped
public class VllmEngine extends OpenAiCompatibleEngine {

    public static final String TYPE = "vllm";

    /** vLLM sampling extras accepted by both the chat and the completions route. */
    static final Set<String> SAMPLING_ARGS = Set.of("top_k", "min_p", "repetition_penalty", "presence_penalty",
            "frequency_penalty", "min_tokens", "ignore_eos", "stop_token_ids", "skip_special_tokens");
    /** engine_args key → {@code structured_outputs} member. */
    static final Map<String, String> CONSTRAINTS = Map.of("regex", "regex", "choice", "choice", "grammar", "grammar",
            "guided_regex", "regex", "guided_choice", "choice", "guided_grammar", "grammar");

    @Inject
    InfercoreConfig config;

    private Map<String, String> aliases = Map.of();

    /** CDI constructor; settings come from {@code vllm.*} in {@link #init()}. */
    public VllmEngine() {
    }

    /** An adapter for {@code endpoint} outside CDI (tests, tools). */
    public static VllmEngine at(RemoteEndpoint endpoint, Map<String, String> aliases) {
        VllmEngine engine = new VllmEngine();
        engine.configure(endpoint);
        engine.aliases = Map.copyOf(aliases);
        return engine;
    }

    @PostConstruct
    void init() {
        var vllm = config.vllm();
        configure(RemoteEndpoint.of(TYPE, vllm.baseUrl(), vllm.apiKey(), vllm.timeouts()));
        aliases = Map.copyOf(vllm.modelAliases());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    protected String servedName(String requested) {
        return aliases.getOrDefault(requested, requested);
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> all = EnumSet.copyOf(super.capabilities());
        all.add(Capability.RERANK);
        return all;
    }

    /**
     * vLLM's {@code POST /v1/rerank} (Jina/Cohere shape), answered by a server started with a
     * reranking (cross-encoder) model, e.g. {@code vllm serve BAAI/bge-reranker-v2-m3}; a
     * generation model answers 400 "does not support Rerank (Score) API". Without {@code top_n} every
     * document is scored (vLLM's default, 0, means all; llama.cpp's server speaks the same route).
     */
    @Override
    public Uni<RerankResult> rerank(String model, String query, List<String> documents, Integer topN) {
        String name = servedName(model);
        Map<String, Object> body = EngineHttp.body("model", name, "query", query, "documents", documents,
                "top_n", topN);
        return remoteFor(model).http().postJson("/v1/rerank", body, name).map(answer -> {
            List<RerankResult.Scored> scored = new ArrayList<>();
            answer.path("results").forEach(r -> scored.add(new RerankResult.Scored(r.path("index").asInt(),
                    r.path("relevance_score").asDouble())));
            return new RerankResult(scored, answer.path("model").asText(name),
                    answer.path("usage").path("total_tokens").asInt(0));
        });
    }

    @Override
    protected String healthPath() {
        return "/health";
    }

    @Override
    protected Map<String, Object> chatExtras(GenerationRequest request) {
        Map<String, Object> body = extras(request);
        putThinking(body, request.thinking());
        return body;
    }

    @Override
    protected Multi<StreamEvent> streamPrompt(GenerationRequest request, Remote server) {
        return server.completions().stream(request, extras(request));
    }

    @Override
    protected Uni<GenerationResult> generatePrompt(GenerationRequest request, Remote server) {
        return server.completions().generate(request, extras(request));
    }

    /** The body fields both routes add: sampling extras, one constraint, and the JSON Schema. */
    private Map<String, Object> extras(GenerationRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> structured = new LinkedHashMap<>();
        for (Map.Entry<String, Object> arg : request.engineArgs().entrySet()) {
            String key = arg.getKey();
            if (SAMPLING_ARGS.contains(key)) {
                body.put(key, arg.getValue());
            } else if (CONSTRAINTS.containsKey(key)) {
                Object value = arg.getValue();
                boolean choice = "choice".equals(CONSTRAINTS.get(key));
                if (choice ? !(value instanceof List<?>) : !(value instanceof String)) {
                    throw InfercoreException.invalid("engine_args", "engine_args." + key + " must be a "
                            + (choice ? "list of strings" : "string"));
                }
                structured.put(CONSTRAINTS.get(key), value);
            } else {
                Set<String> supported = new HashSet<>(SAMPLING_ARGS);
                supported.addAll(CONSTRAINTS.keySet());
                throw unsupportedArg(key, supported);
            }
        }
        if (structured.size() + (request.jsonSchema() == null ? 0 : 1) > 1) {
            throw InfercoreException.invalid("engine_args", "vLLM takes one output constraint per request; got "
                    + structured.keySet() + (request.jsonSchema() == null ? "" : " and a JSON Schema"));
        }
        if (!structured.isEmpty()) {
            body.put("structured_outputs", structured);
        }
        if (request.jsonSchema() != null) {
            body.put("response_format", responseFormat(request.jsonSchema()));
        }
        return body;
    }
}

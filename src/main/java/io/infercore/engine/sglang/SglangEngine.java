package io.infercore.engine.sglang;

import io.infercore.config.InfercoreConfig;
import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.Capability;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.RerankResult;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.openai.OpenAiCompatibleEngine;
import io.infercore.engine.openai.RemoteEndpoint;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An SGLang server ({@code python -m sglang.launch_server}) at {@code sglang.base_url}. Chat and
 * its streams use the OpenAI routes (through LangChain4j); raw prompts use the native
 * {@code /generate} ({@link SglangNative}); health is {@code /health_generate}, which answers only
 * when the server can generate. SGLang answers any model name with its one model, so names are
 * checked against {@code /v1/models} here.
 *
 * <p>{@code engine_args}: {@link #ARGS} on both routes; {@code regex} and {@code ebnf} are output
 * constraints (one per request, not with a JSON Schema). Anything else is a 400.
 */
@ApplicationScoped
public class SglangEngine extends OpenAiCompatibleEngine {

    public static final String TYPE = "sglang";

    static final Set<String> ARGS = Set.of("top_k", "min_p", "presence_penalty", "frequency_penalty",
            "repetition_penalty", "ignore_eos", "stop_token_ids", "regex", "ebnf");
    private static final Set<String> CONSTRAINTS = Set.of("regex", "ebnf");

    @Inject
    InfercoreConfig config;

    /** CDI constructor; settings come from {@code sglang.*} in {@link #init()}. */
    public SglangEngine() {
    }

    /** An adapter for {@code endpoint} outside CDI (tests, tools). */
    public static SglangEngine at(RemoteEndpoint endpoint) {
        SglangEngine engine = new SglangEngine();
        engine.setUp(endpoint);
        return engine;
    }

    @PostConstruct
    void init() {
        var sglang = config.sglang();
        setUp(RemoteEndpoint.of(TYPE, Optional.of(sglang.baseUrl()), sglang.apiKey(), sglang.timeouts()));
    }

    private void setUp(RemoteEndpoint endpoint) {
        configure(endpoint);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> all = EnumSet.copyOf(super.capabilities());
        all.add(Capability.RERANK);
        return all;
    }

    /**
     * SGLang's {@code POST /v1/rerank} {query, documents}, served by a cross-encoder launched with
     * {@code --is-embedding} (e.g. BAAI/bge-reranker-v2-m3). It answers a bare list of
     * {@code {score, document, index, meta_info}} and, in 0.5, takes no {@code top_n}: the best
     * {@code topN} are kept here.
     */
    @Override
    public Uni<RerankResult> rerank(String model, String query, List<String> documents, Integer topN) {
        Map<String, Object> body = Map.of("query", query, "documents", documents);
        return remoteFor(model).http().postJson("/v1/rerank", body, model).map(answer -> {
            if (!answer.isArray()) {
                throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, "sglang answered /v1/rerank without a list of "
                        + "scores; is it running a reranking model with --is-embedding?");
            }
            List<RerankResult.Scored> scored = new ArrayList<>();
            int tokens = 0;
            for (JsonNode r : answer) {
                scored.add(new RerankResult.Scored(r.path("index").asInt(), r.path("score").asDouble()));
                tokens += r.path("meta_info").path("prompt_tokens").asInt(0);
            }
            scored.sort(Comparator.comparingDouble(RerankResult.Scored::relevanceScore).reversed()
                    .thenComparingInt(RerankResult.Scored::index));
            List<RerankResult.Scored> kept = topN == null ? scored : scored.subList(0, Math.min(topN, scored.size()));
            return new RerankResult(kept, model, tokens);
        });
    }

    @Override
    protected String healthPath() {
        return "/health_generate";
    }

    @Override
    protected Map<String, Object> chatExtras(GenerationRequest request) {
        Map<String, Object> body = checkedArgs(request);
        if (request.jsonSchema() != null) {
            body.put("response_format", responseFormat(request.jsonSchema()));
        }
        putThinking(body, request.thinking());
        return body;
    }

    /**
     * A raw prompt goes to the native {@code /generate}, except with logprobs: those take the
     * OpenAI-shaped {@code /v1/completions}, which SGLang serves with the same sampling and
     * constraints ({@code regex}, {@code ebnf}, {@code json_schema} as a string) and OpenAI's logprobs.
     */
    @Override
    protected Multi<StreamEvent> streamPrompt(GenerationRequest request, Remote server) {
        if (request.logprobs() != null) {
            return server.completions().stream(request, completionArgs(request));
        }
        return new SglangNative(server.http()).stream(request, checkedArgs(request));
    }

    @Override
    protected Uni<GenerationResult> generatePrompt(GenerationRequest request, Remote server) {
        if (request.logprobs() != null) {
            return server.completions().generate(request, completionArgs(request));
        }
        return new SglangNative(server.http()).generate(request, checkedArgs(request));
    }

    private Map<String, Object> completionArgs(GenerationRequest request) {
        Map<String, Object> args = checkedArgs(request);
        if (request.jsonSchema() != null) {
            args.put("json_schema", request.jsonSchema().toString());
        }
        return args;
    }

    private Map<String, Object> checkedArgs(GenerationRequest request) {
        Map<String, Object> args = new LinkedHashMap<>();
        int constraints = request.jsonSchema() == null ? 0 : 1;
        for (Map.Entry<String, Object> arg : request.engineArgs().entrySet()) {
            if (!ARGS.contains(arg.getKey())) {
                throw unsupportedArg(arg.getKey(), ARGS);
            }
            if (CONSTRAINTS.contains(arg.getKey())) {
                if (!(arg.getValue() instanceof String)) {
                    throw InfercoreException.invalid("engine_args", "engine_args." + arg.getKey() + " must be a string");
                }
                constraints++;
            }
            args.put(arg.getKey(), arg.getValue());
        }
        if (constraints > 1) {
            throw InfercoreException.invalid("engine_args", "SGLang takes one of regex, ebnf or a JSON Schema per request");
        }
        return args;
    }
}

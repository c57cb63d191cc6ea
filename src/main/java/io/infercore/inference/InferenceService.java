package io.infercore.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.config.InfercoreConfig;
import io.infercore.engine.Capability;
import io.infercore.engine.EmbeddingResult;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineRegistry;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.RerankResult;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.Usage;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.metrics.InferenceMetrics;
import io.infercore.metrics.RequestProbe;
import io.infercore.supervisor.RunTarget;
import io.infercore.supervisor.Supervisor;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The one internal path every entry point uses: defaults, validation, engine and model
 * resolution, capability checks, then the adapter. Nothing here knows about HTTP; a
 * {@link RequestProbe} collects the engine, the model and the engine time of a request, and
 * {@link InferenceMetrics} wraps every engine call.
 */
@ApplicationScoped
public class InferenceService {

    @Inject
    EngineRegistry engines;
    @Inject
    InfercoreConfig config;
    @Inject
    Supervisor supervisor;
    @Inject
    InferenceMetrics metrics;

    /** A routed request: the adapter and the request with the engine's model name filled in. */
    record Routed(EngineAdapter adapter, GenerationRequest request) {
    }

    /** Validates and routes; failures are 400 / 404 before any token is generated. */
    Uni<Routed> route(Target target, GenerationRequest draft, RequestProbe probe) {
        RequestValidator.validate(draft);
        RunTarget run = target.runId() == null ? null : byRun(target);
        if (run != null) {
            target = new Target(run.engineType(), run.modelName(), null);
        }
        RunTarget serving = run != null ? run
                : supervisor.byName(blankToNull(target.engineType()), blankToNull(target.modelName())).orElse(null);
        if (serving != null) {
            requireAbility(serving, draft.isChat() ? "chat" : "generate", draft.isChat() ? "messages" : "prompt");
            if (draft.usesTools()) {
                requireAbility(serving, "tools", "tools");
            }
        }
        GenerationRequest withDefaults = serving == null ? draft : draft.withEngineArgDefaults(serving.requestDefaults());
        Boolean thinking = draft.thinking() != null || run == null ? draft.thinking() : run.enableThinking();
        String engineType = blankToNull(target.engineType()) == null ? config.defaultEngine() : target.engineType();
        EngineAdapter adapter = engines.require(engineType);
        probe.engine(adapter.address());
        Capability needed = draft.isChat() ? Capability.CHAT : Capability.GENERATE;
        requireCapability(adapter, needed);
        if (draft.jsonSchema() != null) {
            requireCapability(adapter, Capability.STRUCTURED_OUTPUT);
        }
        if (draft.usesTools() && !adapter.supports(Capability.TOOLS)) {
            throw new InfercoreException(ErrorKind.UNSUPPORTED, "tools (function calling) are not supported by engine '"
                    + adapter.address() + "'; use an engine that passes them through (" + toolEngines() + "), or send "
                    + "the request without tools", "tools", null);
        }
        if (draft.logprobs() != null && !adapter.supports(Capability.LOGPROBS)) {
            throw new InfercoreException(ErrorKind.UNSUPPORTED, "logprobs (token log-probabilities) are not supported "
                    + "by engine '" + adapter.address() + "'" + adapter.logprobsRefusal().map(why -> ": " + why).orElse("")
                    + "; use an engine that returns them (vllm, sglang), or send the request without logprobs",
                    "logprobs", null);
        }
        String model = blankToNull(target.modelName()) == null ? config.defaultModelName() : target.modelName();
        return metrics.engineCall(probe, adapter.resolveModel(model)).map(info -> {
            probe.model(info.name());
            GenerationRequest request = withDefaults.routedTo(info.name(), thinking);
            RequestValidator.validateAgainstModel(request, info);
            return new Routed(adapter, request);
        });
    }

    public Uni<Completion> generate(Target target, GenerationRequest draft) {
        return generate(target, draft, RequestProbe.detached());
    }

    public Uni<Completion> generate(Target target, GenerationRequest draft, RequestProbe probe) {
        return route(target, draft, probe).chain(r -> generation(r, probe).map(result -> completion(r, result)));
    }

    /** {@code result}, generated for the routed request {@code r} (or for one of its choices). */
    private static Completion completion(Routed r, GenerationResult result) {
        GenerationRequest request = r.request();
        return new Completion(result, r.adapter().address(), request.model(), request.jsonSchema() == null ? null
                : r.adapter().unenforcedKeywords(request.jsonSchema()).orElse(null));
    }

    public Uni<OpenStream> stream(Target target, GenerationRequest draft) {
        return stream(target, draft, RequestProbe.detached());
    }

    public Uni<OpenStream> stream(Target target, GenerationRequest draft, RequestProbe probe) {
        return route(target, draft, probe).map(r -> {
            requireCapability(r.adapter(), Capability.STREAMING);
            return new OpenStream(metrics.stream(probe, r.adapter().address(), r.request().model(),
                    r.adapter().stream(r.request())), r.adapter().address(), r.request().model());
        });
    }

    /**
     * {@code n} choices of one request, routed once and generated one after the other, on every
     * engine alike: choice {@code i} samples with seed {@code seed + i} when the request has a seed,
     * so that the choices differ and are each reproducible.
     */
    public Uni<List<Completion>> generateChoices(Target target, GenerationRequest draft, int n, RequestProbe probe) {
        if (n == 1) { // nearly every request: no stream of choices to build and collect (each operator costs at saturation)
            return route(target, draft, probe).chain(r -> generation(r, probe).map(result -> List.of(completion(r, result))));
        }
        return route(target, draft, probe).chain(r -> Multi.createFrom().range(0, n)
                .onItem().transformToUniAndConcatenate(i -> {
                    Routed choice = new Routed(r.adapter(), choice(r.request(), i));
                    return generation(choice, probe).map(result -> completion(r, result));
                })
                .collect().asList());
    }

    /** The streams of {@code n} choices (see {@link #generateChoices}); each starts when it is subscribed. */
    public Uni<List<OpenStream>> streamChoices(Target target, GenerationRequest draft, int n, RequestProbe probe) {
        return route(target, draft, probe).map(r -> {
            requireCapability(r.adapter(), Capability.STREAMING);
            List<OpenStream> streams = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                GenerationRequest request = choice(r.request(), i);
                streams.add(new OpenStream(Multi.createFrom().deferred(() -> metrics.stream(probe, r.adapter().address(),
                        request.model(), r.adapter().stream(request))), r.adapter().address(), request.model()));
            }
            return streams;
        });
    }

    private static GenerationRequest choice(GenerationRequest request, int index) {
        SamplingParams s = request.sampling();
        if (index == 0 || s.seed() == null) {
            return request;
        }
        return request.withSampling(new SamplingParams(s.maxTokens(), s.temperature(), s.topP(), s.stop(),
                s.seed() + index));
    }

    private Uni<GenerationResult> generation(Routed r, RequestProbe probe) {
        return metrics.generation(probe, r.adapter().address(), r.request().model(), r.adapter().generate(r.request()));
    }

    /**
     * Generates under a JSON Schema constraint and validates the result; when the output does
     * not conform, tries once more with the same constraint before reporting {@code valid:false}.
     */
    public Uni<StructuredResult> structured(Target target, GenerationRequest draft, JsonNode schema) {
        return structured(target, draft, schema, RequestProbe.detached());
    }

    public Uni<StructuredResult> structured(Target target, GenerationRequest draft, JsonNode schema, RequestProbe probe) {
        ObjectNode normalized = JsonSchemas.normalize(schema);
        GenerationRequest constrained = draft.withJsonSchema(normalized);
        return route(target, constrained, probe).chain(r -> {
            List<String> unenforced = r.adapter().unenforcedKeywords(normalized).orElse(null);
            return attempt(r, normalized, 1, probe).map(s -> new StructuredResult(s.json(), s.text(), s.valid(),
                    s.errors(), s.attempts(), s.engineType(), s.modelName(), s.usage(), s.finishReason(), unenforced));
        });
    }

    private Uni<StructuredResult> attempt(Routed r, ObjectNode schema, int attempt, RequestProbe probe) {
        return generation(r, probe).chain(result -> {
            JsonSchemas.Verdict verdict = JsonSchemas.check(schema, result.text());
            if (!verdict.valid() && attempt < 2) {
                return attempt(r, schema, attempt + 1, probe);
            }
            return Uni.createFrom().item(toStructured(r, result, verdict, attempt));
        });
    }

    private static StructuredResult toStructured(Routed r, GenerationResult result, JsonSchemas.Verdict verdict,
                                                 int attempts) {
        Usage usage = result.usage() == null ? Usage.EMPTY : result.usage();
        List<String> errors = verdict.errors();
        if (!verdict.valid() && "length".equals(result.finishReason())) {
            List<String> withCause = new java.util.ArrayList<>();
            withCause.add("the output was cut off at max_tokens (" + usage.completionTokens() + " tokens) before "
                    + "the JSON was complete; raise max_tokens or bound the schema's strings and arrays");
            withCause.addAll(errors);
            errors = List.copyOf(withCause);
        }
        return new StructuredResult(verdict.json(), result.text(), verdict.valid(), errors, attempts,
                r.adapter().address(), r.request().model(), usage, result.finishReason(), null);
    }

    /**
     * Embeds {@code inputs}, vectors in input order. Routing differs from generation on purpose:
     * with no {@code engine_type}, the embedded default embedding model (in the {@code llamacpp}
     * engine) answers, unless {@code model_name} names another model, which then goes to the
     * default engine; with an engine but no model, the engine's own default embedding model
     * answers ({@code default_model_name} is a generation model and never used here).
     */
    public Uni<EmbeddingCompletion> embed(Target target, List<String> inputs) {
        return embed(target, inputs, RequestProbe.detached());
    }

    public Uni<EmbeddingCompletion> embed(Target target, List<String> inputs, RequestProbe probe) {
        EmbeddingInputs.validate(inputs);
        if (target.runId() != null) {
            RunTarget run = byRun(target);
            requireAbility(run, "embedding", "run_id");
            target = new Target(run.engineType(), run.modelName(), null);
        }
        String model = blankToNull(target.modelName());
        String engineType = blankToNull(target.engineType());
        if (target.runId() == null && model != null && engineType != null) {
            RunTarget serving = supervisor.byName(engineType, model).orElse(null);
            if (serving != null) {
                requireAbility(serving, "embedding", "model_name");
            }
        }
        if (engineType == null) {
            engineType = model == null || model.equals(config.defaultEmbeddingModel())
                    ? engines.inProcessType(config.defaultEngine()) : config.defaultEngine();
        }
        EngineAdapter adapter = engines.require(engineType);
        probe.engine(adapter.address());
        requireCapability(adapter, Capability.EMBEDDINGS);
        String resolved = model != null ? model : adapter.defaultEmbeddingModel().orElseThrow(() ->
                InfercoreException.invalid("model_name", "Engine '" + adapter.address() + "' has no default embedding "
                        + "model; set model_name to an embedding model it serves"));
        List<String> batch = List.copyOf(inputs);
        return metrics.embedding(probe, adapter.address(), resolved, adapter.embed(resolved, batch)).map(result -> {
            checkVectors(adapter, result, batch.size());
            String served = result.model() == null ? resolved : result.model();
            probe.model(served);
            return new EmbeddingCompletion(result, adapter.address(), served);
        });
    }

    /** Most documents one rerank request may carry (Cohere's limit). */
    static final int MAX_RERANK_DOCUMENTS = 1000;

    /**
     * Scores {@code documents} against {@code query}, most relevant first. Only engines that run a
     * reranking model do this; none is embedded (no cross-encoder model is obtainable from the
     * package registries infercore builds from), so a request that names no such engine is a 400
     * that names the engines that can.
     */
    public Uni<RerankCompletion> rerank(Target target, String query, List<String> documents, Integer topN,
                                        RequestProbe probe) {
        validateRerank(query, documents, topN);
        if (target.runId() != null) {
            RunTarget run = byRun(target);
            target = new Target(run.engineType(), run.modelName(), null);
        }
        String engineType = blankToNull(target.engineType());
        String model = blankToNull(target.modelName());
        List<String> rerankers = engines.all().stream().filter(a -> a.supports(Capability.RERANK))
                .map(EngineAdapter::type).sorted().toList();
        if (engineType == null && (model == null || model.equals(config.defaultModelName()))) {
            throw new InfercoreException(ErrorKind.UNSUPPORTED, "rerank needs a reranking model on an engine that "
                    + "reranks (" + rerankers + "), e.g. engine vllm serving BAAI/bge-reranker-v2-m3; infercore has no "
                    + "embedded reranker", "model_name", null);
        }
        EngineAdapter adapter = engines.require(engineType == null ? config.defaultEngine() : engineType);
        probe.engine(adapter.address());
        if (!adapter.supports(Capability.RERANK)) {
            throw new InfercoreException(ErrorKind.UNSUPPORTED, "Engine '" + adapter.address() + "' does not rerank; "
                    + "engines that rerank: " + rerankers + " (serving a reranking model, e.g. BAAI/bge-reranker-v2-m3)",
                    "engine_type", null);
        }
        if (model == null) {
            throw InfercoreException.invalid("model_name", "model_name is required: the reranking model that engine '"
                    + adapter.address() + "' serves");
        }
        List<String> batch = List.copyOf(documents);
        return metrics.engineCall(probe, adapter.rerank(model, query, batch, topN)).map(result -> {
            checkScores(adapter, result, batch.size(), topN);
            String served = result.model() == null ? model : result.model();
            probe.model(served);
            return new RerankCompletion(result, adapter.address(), served);
        });
    }

    private static void validateRerank(String query, List<String> documents, Integer topN) {
        if (query == null || query.isBlank()) {
            throw InfercoreException.invalid("query", "query is required: the text the documents are scored against");
        }
        if (documents == null || documents.isEmpty()) {
            throw InfercoreException.invalid("documents", "documents must hold at least one document");
        }
        if (documents.size() > MAX_RERANK_DOCUMENTS) {
            throw InfercoreException.invalid("documents", "documents takes at most " + MAX_RERANK_DOCUMENTS
                    + " documents, got " + documents.size());
        }
        for (int i = 0; i < documents.size(); i++) {
            if (documents.get(i) == null) {
                throw InfercoreException.invalid("documents", "documents[" + i + "] must be a string or {text}");
            }
        }
        if (topN != null && topN < 1) {
            throw InfercoreException.invalid("top_n", "top_n must be a positive integer, got " + topN);
        }
    }

    private static void checkScores(EngineAdapter adapter, RerankResult result, int documents, Integer topN) {
        int expected = topN == null ? documents : Math.min(topN, documents);
        if (result.results().size() != expected
                || result.results().stream().anyMatch(r -> r.index() < 0 || r.index() >= documents)) {
            throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, "Engine '" + adapter.address() + "' returned "
                    + result.results().size() + " scores for " + expected + " expected, or an index outside the documents");
        }
    }

    /** An adapter bug or a misbehaving server must not reach the client as a silently wrong answer. */
    private static void checkVectors(EngineAdapter adapter, EmbeddingResult result, int expected) {
        if (result.embeddings().size() != expected
                || result.embeddings().stream().anyMatch(v -> v == null || v.length != result.dimensions())) {
            throw new InfercoreException(ErrorKind.UPSTREAM_ERROR, "Engine '" + adapter.address() + "' returned "
                    + result.embeddings().size() + " vectors for " + expected + " inputs, or vectors whose length is not "
                    + result.dimensions());
        }
    }

    /**
     * A request naming {@code run_id} goes to that run's engine and model (404 for an unknown run,
     * 503 while it is not serving); {@code engine_type} / {@code model_name}, when also given, must agree.
     */
    private RunTarget byRun(Target target) {
        RunTarget run = supervisor.resolve(target.runId());
        if (blankToNull(target.engineType()) != null && !target.engineType().equals(run.engineType())) {
            throw InfercoreException.invalid("engine_type", "run_id '" + run.runId() + "' runs on " + run.engineType()
                    + ", not " + target.engineType() + "; leave engine_type out when naming a run");
        }
        if (blankToNull(target.modelName()) != null && !target.modelName().equals(run.modelName())) {
            throw InfercoreException.invalid("model_name", "run_id '" + run.runId() + "' serves '" + run.modelName()
                    + "', not '" + target.modelName() + "'; leave model_name out when naming a run");
        }
        return run;
    }

    /**
     * A request the run's model cannot serve, by the abilities its catalog entry declares (tools to a
     * model without {@code tools}, embeddings from a chat model, chat with an embedding model): a 400
     * before the engine is called, instead of the engine's own error or a silently ignored field.
     */
    private static void requireAbility(RunTarget run, String ability, String param) {
        if (run.abilities() != null && !run.abilities().contains(ability)) {
            throw InfercoreException.invalid(param, "run " + run.runId() + " serves '" + run.modelId() + "', whose "
                    + "catalog abilities are " + run.abilities() + ": it cannot do " + ability
                    + ("tools".equals(ability) ? " (send the request without tools, or use a model with \"tools\")"
                    : "; start a model that has \"" + ability + "\" (GET /api/v1/models?ability=" + ability + ")"));
        }
    }

    /** The engines that pass tools through, for the refusal's advice. */
    private String toolEngines() {
        return String.join(", ", engines.all().stream().filter(a -> a.supports(Capability.TOOLS)).map(EngineAdapter::type).toList());
    }

    private static void requireCapability(EngineAdapter adapter, Capability capability) {
        if (!adapter.supports(capability)) {
            throw new InfercoreException(ErrorKind.UNSUPPORTED, "Engine '" + adapter.address() + "' does not support "
                    + capability.name().toLowerCase().replace('_', ' '));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

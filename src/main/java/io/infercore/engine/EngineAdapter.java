package io.infercore.engine;

import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One inference engine behind the common API. Implementations are CDI beans discovered by
 * {@link EngineRegistry}; adding an engine means adding one package with one such bean, and
 * nothing in the API layer changes.
 *
 * <p>Contract: methods never block the caller's thread (blocking or JNI work runs on the
 * adapter's own executor); a stream emits {@link StreamEvent.Delta}s and ends with exactly one
 * {@link StreamEvent.Done}; cancelling the subscription stops generation in the engine;
 * failures are {@link InfercoreException}s.
 */
public interface EngineAdapter {

    /** The {@code engine_type} this adapter answers to, e.g. {@code llamacpp}. */
    String type();

    Set<Capability> capabilities();

    /** Resolves a model name, failing with {@link ErrorKind#MODEL_NOT_FOUND} (and a hint) when the engine lacks it. */
    Uni<ModelInfo> resolveModel(String model);

    /** Models the engine can serve right now. */
    Uni<List<ModelInfo>> listModels();

    /** Streams one generation. */
    Multi<StreamEvent> stream(GenerationRequest request);

    /** One complete generation; by default the stream, gathered. */
    default Uni<GenerationResult> generate(GenerationRequest request) {
        return StreamCollector.collect(stream(request));
    }

    /** Vectors for {@code inputs}, in order; {@code model} is the engine-side name, not resolved beforehand. */
    default Uni<EmbeddingResult> embed(String model, List<String> inputs) {
        return Uni.createFrom().failure(new InfercoreException(ErrorKind.UNSUPPORTED,
                "Engine '" + type() + "' does not provide embeddings"));
    }

    /**
     * Scores {@code documents} against {@code query} with the reranking model {@code model} (the
     * engine-side name), most relevant first; {@code topN} null means all of them.
     */
    default Uni<RerankResult> rerank(String model, String query, List<String> documents, Integer topN) {
        return Uni.createFrom().failure(new InfercoreException(ErrorKind.UNSUPPORTED,
                "Engine '" + type() + "' does not rerank"));
    }

    /**
     * The embedding model used when an embed request names this engine but no model. Empty (the
     * default): the request must name one; {@code default_model_name} is a generation model and
     * is never used for embeddings.
     */
    default Optional<String> defaultEmbeddingModel() {
        return Optional.empty();
    }

    Uni<EngineHealth> health();

    /**
     * The keywords of {@code jsonSchema} (JSON pointers into it) that this engine's constrained
     * decoding does not enforce, checked only by the validator after generation; empty when
     * all are enforced, {@link Optional#empty()} when the engine does not say (a remote server
     * decides for itself). Throws the error {@link #stream} would give for a schema it cannot use.
     */
    default Optional<List<String>> unenforcedKeywords(com.fasterxml.jackson.databind.node.ObjectNode jsonSchema) {
        return Optional.empty();
    }

    /**
     * Why this engine does not give {@link Capability#LOGPROBS}, for the 400 that refuses them;
     * empty when it does, or when there is nothing more to say than that it does not.
     */
    default Optional<String> logprobsRefusal() {
        return Optional.empty();
    }

    default boolean supports(Capability capability) {
        return capabilities().contains(capability);
    }
}

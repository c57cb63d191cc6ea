package io.infercore.api.rerank;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.RerankResult;
import io.infercore.error.InfercoreException;
import io.infercore.inference.RerankCompletion;
import io.infercore.inference.Target;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rerank bodies: Jina's and Cohere's shape on {@code /v1/rerank} ({@code model}, unknown fields
 * ignored as SDKs send their own), infercore's own on {@code /api/v1/llm/rerank} ({@code engine_type},
 * {@code model_name}, {@code run_id}, strict like the rest of {@code /api/v1}). Documents are strings
 * or {@code {text}} objects; replies list {@code {index, relevance_score, document?}} best first.
 */
final class RerankBodies {

    private RerankBodies() {
    }

    /** {@code POST /v1/rerank}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "RerankRequest", description = "Jina / Cohere rerank request")
    public record Jina(
            @Schema(description = "A reranking model an engine serves, as on /v1 (engine/model or a listed id)")
            String model,
            @Schema(description = "The text the documents are scored against", required = true) String query,
            @Schema(description = "Strings, or {text} objects", required = true) JsonNode documents,
            @Schema(description = "Return only the n most relevant; default all") Integer topN,
            @Schema(description = "Include each document's text in its result (default false)") Boolean returnDocuments) {
    }

    /** {@code POST /api/v1/llm/rerank}. */
    @Schema(name = "NativeRerankRequest", description = "Rerank request")
    public record Native(
            @Schema(description = "An engine that reranks (vllm)") String engineType,
            @Schema(description = "The reranking model it serves, e.g. BAAI/bge-reranker-v2-m3") String modelName,
            @Schema(description = "Run id from /api/v1/models/running, instead of engine_type + model_name") String runId,
            @Schema(description = "The text the documents are scored against", required = true) String query,
            @Schema(description = "Strings, or {text} objects", required = true) JsonNode documents,
            @Schema(description = "Return only the n most relevant; default all") Integer topN,
            @Schema(description = "Include each document's text in its result (default false)") Boolean returnDocuments) {

        Target target() {
            return new Target(engineType, modelName, runId);
        }
    }

    /** A list of strings or {@code {text}} objects, as Jina and Cohere accept them. */
    static List<String> documents(JsonNode documents) {
        if (documents == null || documents.isNull()) {
            throw InfercoreException.invalid("documents", "documents is required: a list of strings or {text} objects");
        }
        if (!documents.isArray()) {
            throw InfercoreException.invalid("documents", "documents must be a list of strings or {text} objects");
        }
        List<String> out = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            JsonNode d = documents.get(i);
            if (d.isTextual()) {
                out.add(d.asText());
            } else if (d.isObject() && d.path("text").isTextual()) {
                out.add(d.get("text").asText());
            } else {
                throw InfercoreException.invalid("documents", "documents[" + i + "] must be a string or {text: string}");
            }
        }
        return out;
    }

    /** {@code results} best first (ties by position), each with its document's text when asked for. */
    static List<Map<String, Object>> results(RerankCompletion c, List<String> documents, Boolean returnDocuments) {
        List<RerankResult.Scored> sorted = new ArrayList<>(c.result().results());
        sorted.sort(Comparator.comparingDouble(RerankResult.Scored::relevanceScore).reversed()
                .thenComparingInt(RerankResult.Scored::index));
        List<Map<String, Object>> out = new ArrayList<>(sorted.size());
        for (RerankResult.Scored s : sorted) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", s.index());
            r.put("relevance_score", s.relevanceScore());
            if (Boolean.TRUE.equals(returnDocuments)) {
                r.put("document", Map.of("text", documents.get(s.index())));
            }
            out.add(r);
        }
        return out;
    }

    static Map<String, Object> usage(RerankCompletion c) {
        int tokens = c.result().promptTokens();
        return Map.of("prompt_tokens", tokens, "total_tokens", tokens);
    }
}

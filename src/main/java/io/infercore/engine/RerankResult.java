package io.infercore.engine;

import java.util.List;

/**
 * Documents scored against a query by a reranking (cross-encoder) model, most relevant first.
 *
 * @param results      every scored document, or the {@code top_n} best, by descending score
 * @param model        the model that scored them, as the engine names it
 * @param promptTokens tokens the engine read (query and documents), 0 when it does not say
 */
public record RerankResult(List<Scored> results, String model, int promptTokens) {

    public RerankResult {
        results = List.copyOf(results);
    }

    /** One document: its position in the request and its relevance score (higher is more relevant). */
    public record Scored(int index, double relevanceScore) {
    }
}

package io.infercore.engine;

/** What an engine adapter declares it can do; the inference layer refuses the rest with a 400. */
public enum Capability {
    GENERATE,
    CHAT,
    STREAMING,
    STRUCTURED_OUTPUT,
    /** Function calling: tool definitions passed to the engine, tool calls returned. */
    TOOLS,
    /** Log-probabilities of the generated tokens and of their most likely alternatives. */
    LOGPROBS,
    EMBEDDINGS,
    /** Scoring documents against a query with a reranking (cross-encoder) model. */
    RERANK,
    HEALTH
}

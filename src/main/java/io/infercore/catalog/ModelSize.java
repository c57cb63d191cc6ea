package io.infercore.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One size of a catalog model and where each engine finds it: {@code hfRepo} for vLLM and
 * SGLang, {@code ollamaName} for Ollama, {@code gguf} for the embedded llama.cpp engine. Any of
 * them may be null (at least one is set).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSize(String size, String hfRepo, String ollamaName, GgufSource gguf) {
}

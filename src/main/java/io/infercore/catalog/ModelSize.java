package io.infercore.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One size of a catalog model and where each engine finds it: {@code hfRepo} for vLLM and
 * SGLang, {@code ollamaName} for Ollama, {@code gguf} for the embedded llama.cpp engine, and
 * {@code localPath} (custom registrations) for a Hugging Face directory (vLLM, SGLang) or a
 * {@code .gguf} file (llama.cpp) on this machine. Any of them may be null (at least one is set).
 *
 * @param contextLength this size's context window when it differs from the model's (else null)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSize(String size, String hfRepo, String ollamaName, GgufSource gguf, String localPath,
                        Integer contextLength) {

    public ModelSize(String size, String hfRepo, String ollamaName, GgufSource gguf) {
        this(size, hfRepo, ollamaName, gguf, null, null);
    }

    /** True when {@link #localPath} names a GGUF file rather than a model directory. */
    public boolean localGguf() {
        return localPath != null && localPath.toLowerCase(java.util.Locale.ROOT).endsWith(".gguf");
    }
}

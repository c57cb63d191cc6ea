package io.infercore.engine;

import java.util.List;

/** Sampling settings; a null field means "the engine's default". */
public record SamplingParams(Integer maxTokens, Double temperature, Double topP, List<String> stop, Long seed) {

    public static SamplingParams defaults() {
        return new SamplingParams(null, null, null, List.of(), null);
    }

    public List<String> stopOrEmpty() {
        return stop == null ? List.of() : stop;
    }

    public SamplingParams withMaxTokens(int tokens) {
        return new SamplingParams(tokens, temperature, topP, stop, seed);
    }
}

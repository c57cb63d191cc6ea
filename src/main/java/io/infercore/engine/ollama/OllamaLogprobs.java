package io.infercore.engine.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.engine.TokenLogprob;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ollama's log-probabilities (API 0.12.11 and later), seen on 0.17.4
 * ({@code src/test/fakes/transcripts/ollama-0.17.4/*-logprobs*.txt}): asked with
 * {@code "logprobs": true, "top_logprobs": k} on {@code /api/chat} and {@code /api/generate}, each
 * streamed line carries {@code logprobs: [{token, logprob, bytes, top_logprobs: [{token, logprob,
 * bytes}]}]} for the tokens of that line; the final {@code done} line carries none, and with
 * {@code k = 0} the {@code top_logprobs} field is left out. Alternatives are kept most likely first
 * and at most {@code k} of them, whatever order the server used.
 */
final class OllamaLogprobs {

    private OllamaLogprobs() {
    }

    /** Adds the request fields when {@code top} (the request's {@code logprobs}) is set. */
    static void ask(ObjectNode body, Integer top) {
        if (top != null) {
            body.put("logprobs", true);
            if (top > 0) {
                body.put("top_logprobs", top);
            }
        }
    }

    /** A line's {@code logprobs} array; empty when it has none. */
    static List<TokenLogprob> read(JsonNode logprobs, Integer top) {
        if (logprobs == null || !logprobs.isArray() || logprobs.isEmpty()) {
            return List.of();
        }
        int k = top == null ? 0 : top;
        List<TokenLogprob> tokens = new ArrayList<>(logprobs.size());
        for (JsonNode entry : logprobs) {
            List<TokenLogprob.Alternative> alternatives = new ArrayList<>();
            for (JsonNode alt : entry.path("top_logprobs")) {
                alternatives.add(new TokenLogprob.Alternative(alt.path("token").asText(), logprob(alt.get("logprob"))));
            }
            alternatives.sort(Comparator.comparingDouble(TokenLogprob.Alternative::logprob).reversed());
            tokens.add(new TokenLogprob(entry.path("token").asText(), logprob(entry.get("logprob")),
                    alternatives.subList(0, Math.min(k, alternatives.size()))));
        }
        return tokens;
    }

    /** A missing or non-numeric value (JSON has no -Infinity) is taken as impossible; a value above 0 as certain. */
    private static double logprob(JsonNode value) {
        return value == null || !value.isNumber() ? Double.NEGATIVE_INFINITY : Math.min(0.0, value.asDouble());
    }
}

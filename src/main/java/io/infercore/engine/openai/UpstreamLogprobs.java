package io.infercore.engine.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.engine.TokenLogprob;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the log-probabilities of an OpenAI-compatible answer (vLLM, SGLang) into
 * {@link TokenLogprob}s, and asks for them. Two shapes exist: chat's
 * {@code logprobs.content[{token, logprob, bytes, top_logprobs[{token, logprob, bytes}]}]} and
 * the legacy completion's {@code logprobs{tokens[], token_logprobs[], top_logprobs[{token: logprob}]}}.
 * The alternatives are kept most likely first and at most as many as asked for: vLLM's legacy
 * {@code top_logprobs} also lists the sampled token when it is not among the most likely.
 */
final class UpstreamLogprobs {

    private UpstreamLogprobs() {
    }

    /** Chat request fields: {@code logprobs: true, top_logprobs: k}. */
    static void askChat(Map<String, Object> body, Integer top) {
        if (top != null) {
            body.put("logprobs", true);
            body.put("top_logprobs", top);
        }
    }

    /** Legacy completion request field: {@code logprobs: k}. */
    static void askCompletion(Map<String, Object> body, Integer top) {
        if (top != null) {
            body.put("logprobs", top);
        }
    }

    /** The {@code content} of a chat choice's {@code logprobs}; empty when there is none. */
    static List<TokenLogprob> fromChat(JsonNode logprobs, int top) {
        JsonNode content = logprobs == null ? null : logprobs.get("content");
        if (content == null || !content.isArray()) {
            return List.of();
        }
        List<TokenLogprob> tokens = new ArrayList<>(content.size());
        for (JsonNode entry : content) {
            List<TokenLogprob.Alternative> alternatives = new ArrayList<>();
            for (JsonNode alt : entry.path("top_logprobs")) {
                alternatives.add(new TokenLogprob.Alternative(alt.path("token").asText(), logprob(alt.get("logprob"))));
            }
            tokens.add(new TokenLogprob(entry.path("token").asText(), logprob(entry.get("logprob")),
                    ranked(alternatives, top)));
        }
        return tokens;
    }

    /** A legacy completion choice's {@code logprobs}; empty when there is none. */
    static List<TokenLogprob> fromCompletion(JsonNode logprobs, int top) {
        JsonNode texts = logprobs == null ? null : logprobs.get("tokens");
        if (texts == null || !texts.isArray()) {
            return List.of();
        }
        JsonNode values = logprobs.path("token_logprobs");
        JsonNode tops = logprobs.path("top_logprobs");
        List<TokenLogprob> tokens = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            List<TokenLogprob.Alternative> alternatives = new ArrayList<>();
            JsonNode candidates = tops.path(i);
            for (Iterator<Map.Entry<String, JsonNode>> it = candidates.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                alternatives.add(new TokenLogprob.Alternative(e.getKey(), logprob(e.getValue())));
            }
            tokens.add(new TokenLogprob(texts.get(i).asText(), logprob(values.get(i)), ranked(alternatives, top)));
        }
        return tokens;
    }

    private static List<TokenLogprob.Alternative> ranked(List<TokenLogprob.Alternative> alternatives, int top) {
        alternatives.sort(Comparator.comparingDouble(TokenLogprob.Alternative::logprob).reversed());
        return alternatives.size() > top ? alternatives.subList(0, top) : alternatives;
    }

    /** vLLM writes {@code -9999.0} for a probability of zero; JSON has no {@code -Infinity}. */
    private static double logprob(JsonNode value) {
        return value == null || !value.isNumber() ? -9999.0 : value.asDouble();
    }
}

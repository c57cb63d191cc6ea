package io.infercore.api.openai;

import io.infercore.api.JsonText;
import io.infercore.engine.TokenLogprob;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's two shapes of token log-probabilities, from the engine's {@link TokenLogprob}s: chat's
 * {@code logprobs.content[{token, logprob, bytes, top_logprobs}]} and the legacy completion's
 * {@code logprobs{tokens, token_logprobs, top_logprobs, text_offset}}. Streams write the same
 * shapes by hand, one delta at a time ({@link #appendChat}, {@link #appendText}).
 */
final class OpenAiLogprobs {

    private OpenAiLogprobs() {
    }

    @Schema(name = "OpenAiChatLogprobs", description = "Log-probabilities of the content tokens")
    public record ChatLogprobs(List<ChatToken> content, @Schema(description = "Always null") Object refusal) {
    }

    @Schema(name = "OpenAiChatTokenLogprob", description = "One token, its log-probability and the most likely tokens")
    public record ChatToken(
            @Schema(description = "The token's text") String token,
            @Schema(description = "Natural log of its probability (<= 0)") double logprob,
            @Schema(description = "UTF-8 bytes of the token") List<Integer> bytes,
            @Schema(description = "The most likely tokens at this position, most likely first") List<TopToken> topLogprobs) {
    }

    @Schema(name = "OpenAiTopLogprob", description = "A likely token at a position")
    public record TopToken(String token, double logprob, List<Integer> bytes) {
    }

    @Schema(name = "OpenAiTextLogprobs", description = "Legacy completion log-probabilities")
    public record TextLogprobs(
            @Schema(description = "The generated tokens") List<String> tokens,
            @Schema(description = "Natural log of each token's probability") List<Double> tokenLogprobs,
            @Schema(description = "Per token, the most likely tokens and their log-probabilities") List<Map<String, Double>> topLogprobs,
            @Schema(description = "Per token, its character offset in the generated text") List<Integer> textOffset) {
    }

    /** Null when the engine gave none (the request did not ask). */
    static ChatLogprobs chat(List<TokenLogprob> tokens) {
        if (tokens == null) {
            return null;
        }
        List<ChatToken> content = new ArrayList<>(tokens.size());
        for (TokenLogprob t : tokens) {
            List<TopToken> top = new ArrayList<>(t.top().size());
            t.top().forEach(a -> top.add(new TopToken(a.token(), a.logprob(), bytes(a.token()))));
            content.add(new ChatToken(t.token(), t.logprob(), bytes(t.token()), top));
        }
        return new ChatLogprobs(content, null);
    }

    /** Null when the engine gave none; offsets count characters (code points) from the start of the answer. */
    static TextLogprobs text(List<TokenLogprob> tokens) {
        if (tokens == null) {
            return null;
        }
        List<String> texts = new ArrayList<>(tokens.size());
        List<Double> values = new ArrayList<>(tokens.size());
        List<Map<String, Double>> tops = new ArrayList<>(tokens.size());
        List<Integer> offsets = new ArrayList<>(tokens.size());
        int offset = 0;
        for (TokenLogprob t : tokens) {
            texts.add(t.token());
            values.add(t.logprob());
            tops.add(topMap(t));
            offsets.add(offset);
            offset += t.token().codePointCount(0, t.token().length());
        }
        return new TextLogprobs(texts, values, tops, offsets);
    }

    /** {@code "logprobs":{"content":[...],"refusal":null}} of one chunk. */
    static void appendChat(StringBuilder f, List<TokenLogprob> tokens) {
        f.append("{\"content\":[");
        for (int i = 0; i < tokens.size(); i++) {
            TokenLogprob t = tokens.get(i);
            f.append(i == 0 ? "" : ",");
            appendToken(f, t.token(), t.logprob());
            f.append(",\"top_logprobs\":[");
            for (int j = 0; j < t.top().size(); j++) {
                f.append(j == 0 ? "" : ",");
                appendToken(f, t.top().get(j).token(), t.top().get(j).logprob());
                f.append('}');
            }
            f.append("]}");
        }
        f.append("],\"refusal\":null}");
    }

    /** The legacy shape of one chunk's tokens; returns the offset after them. */
    static int appendText(StringBuilder f, List<TokenLogprob> tokens, int offset) {
        StringBuilder texts = new StringBuilder("[");
        StringBuilder values = new StringBuilder("[");
        StringBuilder tops = new StringBuilder("[");
        StringBuilder offsets = new StringBuilder("[");
        for (int i = 0; i < tokens.size(); i++) {
            TokenLogprob t = tokens.get(i);
            String sep = i == 0 ? "" : ",";
            JsonText.appendQuoted(texts.append(sep), t.token());
            values.append(sep).append(number(t.logprob()));
            tops.append(sep).append('{');
            int k = 0;
            for (Map.Entry<String, Double> e : topMap(t).entrySet()) {
                JsonText.appendQuoted(tops.append(k++ == 0 ? "" : ","), e.getKey());
                tops.append(':').append(number(e.getValue()));
            }
            tops.append('}');
            offsets.append(sep).append(offset);
            offset += t.token().codePointCount(0, t.token().length());
        }
        f.append("{\"tokens\":").append(texts).append("],\"token_logprobs\":").append(values)
                .append("],\"top_logprobs\":").append(tops).append("],\"text_offset\":").append(offsets).append("]}");
        return offset;
    }

    private static void appendToken(StringBuilder f, String token, double logprob) {
        f.append("{\"token\":");
        JsonText.appendQuoted(f, token);
        f.append(",\"logprob\":").append(number(logprob)).append(",\"bytes\":").append(bytes(token).toString()
                .replace(" ", ""));
    }

    /** The legacy map keeps the first (most likely) entry of a token text that occurs twice. */
    private static Map<String, Double> topMap(TokenLogprob t) {
        Map<String, Double> top = new LinkedHashMap<>();
        t.top().forEach(a -> top.putIfAbsent(a.token(), a.logprob()));
        return top;
    }

    private static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "-9999.0";
    }

    static List<Integer> bytes(String token) {
        byte[] raw = token.getBytes(StandardCharsets.UTF_8);
        List<Integer> out = new ArrayList<>(raw.length);
        for (byte b : raw) {
            out.add(b & 0xff);
        }
        return out;
    }
}

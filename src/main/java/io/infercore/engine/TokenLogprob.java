package io.infercore.engine;

import java.util.List;

/**
 * One generated token with its natural-log probability and, when asked for, the most likely
 * alternatives at that position (most likely first). Log-probabilities are {@code <= 0}.
 *
 * @param token   the token's text as the engine decodes it
 * @param logprob ln of the probability the engine gave the token
 * @param top     the {@code top_logprobs} most likely tokens at this position; empty when none were asked for
 */
public record TokenLogprob(String token, double logprob, List<Alternative> top) {

    public TokenLogprob {
        top = top == null ? List.of() : List.copyOf(top);
    }

    /** A candidate token at a position and its log-probability. */
    public record Alternative(String token, double logprob) {
    }
}

package io.infercore.inference;

import io.infercore.error.InfercoreException;

import java.util.List;

/**
 * The rules for the {@code input} of an embed request, the same on every engine. Each failure is a
 * 400 naming {@code input}. The limits keep one request from holding the embedding engine for long:
 * all-MiniLM-L6-v2 reads 512-token windows, and a text longer than one window costs one model run
 * per window.
 */
public final class EmbeddingInputs {

    /** Texts in one request. */
    public static final int MAX_INPUTS = 256;
    /** Characters in one text (about 2,000 tokens of English). */
    public static final int MAX_INPUT_CHARS = 8192;
    /** Characters in all the texts of one request. */
    public static final int MAX_TOTAL_CHARS = 256 * 1024;

    private EmbeddingInputs() {
    }

    public static void validate(List<String> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw InfercoreException.invalid("input", "input is required: a non-empty string, or a list of 1 to "
                    + MAX_INPUTS + " non-empty strings");
        }
        if (inputs.size() > MAX_INPUTS) {
            throw InfercoreException.invalid("input", "input holds " + inputs.size() + " texts; at most "
                    + MAX_INPUTS + " per request (split the batch)");
        }
        long total = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String text = inputs.get(i);
            if (text == null || text.isBlank()) {
                throw InfercoreException.invalid("input", "input[" + i + "] must be a non-empty string");
            }
            if (text.length() > MAX_INPUT_CHARS) {
                throw InfercoreException.invalid("input", "input[" + i + "] has " + text.length()
                        + " characters; at most " + MAX_INPUT_CHARS + " per text");
            }
            total += text.length();
        }
        if (total > MAX_TOTAL_CHARS) {
            throw InfercoreException.invalid("input", "input holds " + total + " characters in all; at most "
                    + MAX_TOTAL_CHARS + " per request (split the batch)");
        }
    }
}

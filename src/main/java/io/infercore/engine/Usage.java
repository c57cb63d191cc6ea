package io.infercore.engine;

/** Token counts of one generation. */
public record Usage(int promptTokens, int completionTokens) {

    public static final Usage EMPTY = new Usage(0, 0);

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}

package io.infercore.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * A context long enough that a generation lasts about a second on the tiny test model (about
 * 4,000 tokens/s), so a test can hang up in the middle of it without racing the model. The
 * text past the 512 tokens it was trained on is nonsense, which does not matter here.
 */
public class LongGenerationProfile implements QuarkusTestProfile {

    /** Tokens to ask for in a generation that a test means to interrupt. */
    public static final int LONG_GENERATION = 4000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("infercore.llamacpp.context_length", "4096");
    }
}

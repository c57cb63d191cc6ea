package io.infercore.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounded values for the {@code model} label. Model names reach the metrics only once an engine
 * resolved them (so a client cannot invent series by sending made-up names), and even so at most
 * {@link #MAX_MODELS} distinct names get their own series; later ones share {@code other}.
 * Names are cut to {@link #MAX_LENGTH} characters.
 */
final class ModelLabels {

    static final int MAX_MODELS = 64;
    static final int MAX_LENGTH = 128;
    static final String OTHER = "other";

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    String of(String model) {
        if (model == null || model.isBlank()) {
            return RequestProbe.NONE;
        }
        String name = model.length() > MAX_LENGTH ? model.substring(0, MAX_LENGTH) : model;
        if (known.contains(name)) {
            return name;
        }
        synchronized (known) {
            if (known.size() < MAX_MODELS) {
                known.add(name);
                return name;
            }
        }
        return known.contains(name) ? name : OTHER;
    }
}

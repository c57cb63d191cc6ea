package io.infercore.inference;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which engine and model a request addresses; nulls mean "the configured default".
 * {@code engineType} is an engine type ({@code ollama}, its default instance) or a named instance
 * ({@code ollama:gpu2}). A model name written {@code engine:instance/model} carries its instance,
 * so every route that takes a model name takes that form too: it is split here, when the request
 * names no engine or the same engine.
 */
public record Target(String engineType, String modelName, String runId) {

    /** {@code engine:instance/model}: engine types and instance names are lower-case words. */
    private static final Pattern ON_INSTANCE = Pattern.compile("([a-z0-9_]+):([a-z0-9-]+)/(.+)", Pattern.DOTALL);

    public Target {
        Matcher m = modelName == null ? null : ON_INSTANCE.matcher(modelName);
        if (m != null && m.matches() && (engineType == null || engineType.isBlank() || engineType.equals(m.group(1))
                || engineType.equals(m.group(1) + ':' + m.group(2)))) {
            engineType = m.group(1) + ':' + m.group(2);
            modelName = m.group(3);
        }
    }
}

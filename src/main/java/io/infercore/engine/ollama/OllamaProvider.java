package io.infercore.engine.ollama;

import io.infercore.catalog.ModelSize;
import io.infercore.engine.EngineProvider;
import jakarta.enterprise.context.ApplicationScoped;

/** Ollama as the rest of the service sees it: its naming rule ({@code x} is {@code x:latest}), its hints, GGUF models by Ollama name. */
@ApplicationScoped
public class OllamaProvider implements EngineProvider {

    @Override
    public String type() {
        return OllamaEngine.TYPE;
    }

    @Override
    public String startHint() {
        return "start it with `ollama serve` (or set ollama.base_url)";
    }

    @Override
    public String missingModelHint(String model) {
        return "pull it with `ollama pull " + model + "`";
    }

    /** Ollama names a model {@code x} or {@code x:latest} interchangeably. */
    @Override
    public boolean sameModel(String listed, String requested) {
        return listed.equals(requested) || listed.equals(requested + ":latest") || requested.equals(listed + ":latest");
    }

    @Override
    public String canonicalModelName(String name) {
        return OllamaEngine.normalize(name);
    }

    @Override
    public int sourceRank() {
        return 3;
    }

    @Override
    public boolean runsSource(ModelSize size) {
        return size.ollamaName() != null;
    }

    @Override
    public boolean servesGguf() {
        return true;
    }
}

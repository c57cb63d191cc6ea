package io.infercore.engine.llamacpp;

import io.infercore.catalog.ModelSize;
import io.infercore.engine.EngineProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The embedded llama.cpp engine as the rest of the service sees it: in-process, it serves
 * {@code default_model_name} and the built-in embedding model, and runs GGUF files.
 */
@ApplicationScoped
public class LlamaCppProvider implements EngineProvider, EngineProvider.InProcess {

    @Inject
    LlamaCppEngine engine;

    @Override
    public String type() {
        return LlamaCppEngine.TYPE;
    }

    @Override
    public int sourceRank() {
        return 2;
    }

    @Override
    public boolean runsSource(ModelSize size) {
        return size.gguf() != null || size.localGguf();
    }

    @Override
    public boolean servesGguf() {
        return true;
    }

    @Override
    public Optional<InProcess> inProcess() {
        return Optional.of(this);
    }

    @Override
    public Path defaultModelPath() {
        return engine.defaultModelPath();
    }

    @Override
    public Optional<String> status(String model) {
        return engine.status(model);
    }

    @Override
    public CompletableFuture<Void> loadDefault(String name) {
        return engine.load(name, engine.defaultModelPath());
    }
}

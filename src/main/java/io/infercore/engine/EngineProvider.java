package io.infercore.engine;

import io.infercore.catalog.CatalogEngine;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Everything about one engine that the layers above it need to know, so that they never name an
 * engine themselves: one CDI bean per engine package, found by {@link EngineRegistry} next to the
 * engine's {@link EngineAdapter} (same {@link #type()}). The catalog's questions are those of
 * {@link CatalogEngine}. The API, inference, access, health, CLI,
 * catalog and supervisor layers ask these questions instead of switching on engine names.
 *
 * <p>Every method but {@link #type()} has a default that describes a plain remote engine with no
 * launch support, so a minimal engine is an adapter plus a provider naming its type.
 */
public interface EngineProvider extends CatalogEngine {

    /** The {@code engine_type}, equal to the adapter's {@link EngineAdapter#type()}. */
    @Override
    String type();

    /** How to get the engine running when it is not reachable (part of the 503's message). */
    default String startHint() {
        return "check that the engine is running";
    }

    /** How to get {@code model} onto the engine when it does not serve it (part of the 404's message). */
    default String missingModelHint(String model) {
        return "check the model name";
    }

    /** Whether {@code requested} names the model the engine lists as {@code listed}. */
    default boolean sameModel(String listed, String requested) {
        return listed.equals(requested);
    }

    /** The engine's canonical spelling of a model name (the name it lists the model under). */
    default String canonicalModelName(String name) {
        return name;
    }

    /** Whether the engine runs GGUF files (the Ollama API's {@code details.format}). */
    default boolean servesGguf() {
        return false;
    }

    /**
     * The in-process engine that serves {@code default_model_name} and the built-in embedding
     * model; empty for engines behind a server.
     */
    default Optional<InProcess> inProcess() {
        return Optional.empty();
    }

    /** The in-process engine's hold on its default model. */
    interface InProcess {

        /** Where the default model is read from. */
        Path defaultModelPath();

        /** The load state of a model it holds ({@code loading}, {@code ready}, …), empty when it holds none by that name. */
        Optional<String> status(String model);

        /** Starts loading the default model under {@code name} unless it is loading or loaded. */
        CompletableFuture<Void> loadDefault(String name);
    }
}

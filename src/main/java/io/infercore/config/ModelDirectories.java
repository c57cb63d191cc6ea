package io.infercore.config;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's unified model storage: {@code models_dir} with its Ollama and Hugging Face
 * sub-directories, created at start-up, and the environment every engine child process gets
 * ({@code OLLAMA_MODELS}, {@code HUGGINGFACE_HUB_CACHE}, {@code HF_TOKEN}). A JVM cannot change
 * its own environment, so children receive it through {@link #childEnvironment()}.
 */
@Startup
@ApplicationScoped
public class ModelDirectories {

    private static final Logger LOG = Logger.getLogger(ModelDirectories.class);

    @Inject
    InfercoreConfig config;

    private Path root;

    @PostConstruct
    void create() {
        root = Path.of(config.modelsDir()).toAbsolutePath().normalize();
        for (Path dir : new Path[] {root, ollama(), huggingFace(), gguf()}) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create models directory " + dir
                        + " (config key models_dir): " + e.getMessage(), e);
            }
        }
        LOG.infof("Models directory %s (ollama: %s, HF cache: %s)", root, ollama(), huggingFace());
    }

    public Path root() {
        return root;
    }

    public Path ollama() {
        return root.resolve(config.modelsSubdirOllama());
    }

    public Path huggingFace() {
        return root.resolve(config.modelsSubdirHf());
    }

    /** Where GGUF files for the embedded engine live. */
    public Path gguf() {
        return root.resolve("gguf");
    }

    /** Environment additions for engine child processes; the token comes from config or the service's own env. */
    public Map<String, String> childEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OLLAMA_MODELS", ollama().toString());
        env.put("HUGGINGFACE_HUB_CACHE", huggingFace().toString());
        config.hfToken().filter(t -> !t.isBlank()).ifPresent(t -> env.put("HF_TOKEN", t));
        return env;
    }
}

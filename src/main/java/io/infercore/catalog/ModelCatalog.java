package io.infercore.catalog;

import io.infercore.config.InfercoreConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The model catalog: {@code MODELS_CONFIG}, else the {@code models_config} key, else
 * {@code ./models.json}, else the built-in list (qwen2-0.5b, llama3.2, smollm2-135m,
 * all-minilm-l6-v2). Loaded once at start-up; a named file that is missing or invalid stops
 * start-up with the file, the JSON path and the reason.
 */
@Startup
@ApplicationScoped
public class ModelCatalog {

    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);
    static final String BUILTIN = "builtin-models.json";

    @Inject
    InfercoreConfig config;

    private List<CatalogModel> models;
    private String source;

    /** What was loaded and from where. */
    public record Loaded(String source, List<CatalogModel> models) {
    }

    @PostConstruct
    void load() {
        Loaded loaded = load(System.getenv("MODELS_CONFIG"), config.modelsConfig(), Path.of("models.json"));
        models = loaded.models();
        source = loaded.source();
        LOG.infof("Model catalog: %d models from %s", models.size(), source);
    }

    /** The catalog per the lookup order above; {@code local} is {@code ./models.json}. */
    public static Loaded load(String env, Optional<String> configured, Path local) {
        String named = env != null && !env.isBlank() ? env : configured.filter(s -> !s.isBlank()).orElse(null);
        if (named != null) {
            Path file = Path.of(named).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new CatalogException(file + ": model catalog not found (named by "
                        + (env != null && !env.isBlank() ? "MODELS_CONFIG" : "models_config") + ")");
            }
            return fromFile(file);
        }
        if (Files.isRegularFile(local)) {
            return fromFile(local.toAbsolutePath().normalize());
        }
        try (InputStream in = ModelCatalog.class.getResourceAsStream(BUILTIN)) {
            if (in == null) {
                throw new IllegalStateException("built-in catalog " + BUILTIN + " is missing from the jar");
            }
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Loaded("built-in list", CatalogReader.read("built-in " + BUILTIN, json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Loaded fromFile(Path file) {
        try {
            return new Loaded(file.toString(), CatalogReader.read(file.toString(), Files.readString(file)));
        } catch (IOException e) {
            throw new CatalogException(file + ": cannot be read: " + e.getMessage());
        }
    }

    public List<CatalogModel> all() {
        return models;
    }

    /** Where the catalog came from (a file path, or "built-in list"). */
    public String source() {
        return source;
    }

    /** The model with this id (case-insensitive). */
    public Optional<CatalogModel> find(String id) {
        return models.stream().filter(m -> m.id().equalsIgnoreCase(id)).findFirst();
    }

    public List<String> ids() {
        return models.stream().map(CatalogModel::id).toList();
    }
}

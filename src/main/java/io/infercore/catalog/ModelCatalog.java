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
 * {@code ./models.json}, else the built-in list (the same curated catalog, packed in the jar).
 * Loaded once at start-up; a named file that is missing or invalid stops start-up with the file,
 * the JSON path and the reason. Custom registrations ({@link ModelRegistrations}) are listed
 * after the catalog's models and can never take a catalog id.
 */
@Startup
@ApplicationScoped
public class ModelCatalog {

    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);
    static final String BUILTIN = "builtin-models.json";

    @Inject
    InfercoreConfig config;
    @Inject
    io.infercore.engine.EngineRegistry engines;

    private List<CatalogModel> models;
    private String source;
    private ModelRegistrations registrations;

    /** What was loaded and from where. */
    public record Loaded(String source, List<CatalogModel> models) {
    }

    @PostConstruct
    void load() {
        Loaded loaded = load(System.getenv("MODELS_CONFIG"), config.modelsConfig(), Path.of("models.json"), engines.providers());
        models = loaded.models();
        source = loaded.source();
        registrations = new ModelRegistrations(Path.of(config.modelsDir()).toAbsolutePath().normalize(),
                id -> models.stream().anyMatch(m -> m.id().equalsIgnoreCase(id)), engines.providers());
        LOG.infof("Model catalog: %d models from %s, %d custom from %s", models.size(), source,
                registrations.all().size(), registrations.file());
    }

    /** The catalog per the lookup order above; {@code local} is {@code ./models.json}. */
    public static Loaded load(String env, Optional<String> configured, Path local,
                              java.util.Collection<? extends CatalogEngine> engines) {
        String named = env != null && !env.isBlank() ? env : configured.filter(s -> !s.isBlank()).orElse(null);
        if (named != null) {
            Path file = Path.of(named).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new CatalogException(file + ": model catalog not found (named by "
                        + (env != null && !env.isBlank() ? "MODELS_CONFIG" : "models_config") + ")");
            }
            return fromFile(file, engines);
        }
        if (Files.isRegularFile(local)) {
            return fromFile(local.toAbsolutePath().normalize(), engines);
        }
        try (InputStream in = ModelCatalog.class.getResourceAsStream(BUILTIN)) {
            if (in == null) {
                throw new IllegalStateException("built-in catalog " + BUILTIN + " is missing from the jar");
            }
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Loaded("built-in list", CatalogReader.read("built-in " + BUILTIN, json, engines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Loaded fromFile(Path file, java.util.Collection<? extends CatalogEngine> engines) {
        try {
            return new Loaded(file.toString(), CatalogReader.read(file.toString(), Files.readString(file), engines));
        } catch (IOException e) {
            throw new CatalogException(file + ": cannot be read: " + e.getMessage());
        }
    }

    /** The catalog's models followed by the custom registrations. */
    public List<CatalogModel> all() {
        List<CatalogModel> custom = registrations.all();
        if (custom.isEmpty()) {
            return models;
        }
        List<CatalogModel> all = new java.util.ArrayList<>(models);
        all.addAll(custom);
        return List.copyOf(all);
    }

    /** The custom models ({@code <models_dir>/registrations.json}). */
    public ModelRegistrations registrations() {
        return registrations;
    }

    /**
     * The models matching every filter given (null: no filter): {@code query} as in
     * {@link CatalogModel#matches}, an ability, an engine, a model type.
     */
    public List<CatalogModel> search(String query, String ability, String engine, String modelType) {
        return all().stream()
                .filter(m -> query == null || query.isBlank() || m.matches(query.strip()))
                .filter(m -> ability == null || m.can(ability))
                .filter(m -> engine == null || m.engines().contains(engine))
                .filter(m -> modelType == null || m.modelType().equals(modelType))
                .toList();
    }

    /** Where the catalog came from (a file path, or "built-in list"). */
    public String source() {
        return source;
    }

    /** The model with this id (case-insensitive). */
    public Optional<CatalogModel> find(String id) {
        Optional<CatalogModel> builtin = models.stream().filter(m -> m.id().equalsIgnoreCase(id)).findFirst();
        return builtin.isPresent() ? builtin : registrations.find(id);
    }

    public List<String> ids() {
        return all().stream().map(CatalogModel::id).toList();
    }
}

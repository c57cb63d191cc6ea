package io.infercore.supervisor;

import io.infercore.catalog.CatalogModel;
import io.infercore.catalog.ModelCatalog;
import io.infercore.catalog.ModelSize;
import io.infercore.config.InfercoreConfig;
import io.infercore.config.ModelDirectories;
import io.infercore.engine.EngineRegistry;
import io.infercore.error.InfercoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a start request into a {@link LaunchPlan}: the catalog entry and size, the source each
 * engine loads, and every optional field either mapped onto the engine's own setting or refused
 * with a 400 that says why and what would work. Nothing is silently ignored (seed limitation 2).
 * The checks every engine shares are here; the rest is the engine's {@link EngineLauncher}, a
 * bean in the engine's own package.
 */
@ApplicationScoped
public class LaunchResolver {

    private static final int MAX_GPUS = HfServerLauncher.MAX_GPUS;

    @Inject
    ModelCatalog catalog;
    @Inject
    InfercoreConfig config;
    @Inject
    EngineRegistry engines;
    @Inject
    ModelDirectories directories;

    private final Map<String, EngineLauncher> launchers = new TreeMap<>();

    @Inject
    void discover(@Any Instance<EngineLauncher> discovered) {
        for (EngineLauncher launcher : discovered) {
            EngineLauncher previous = launchers.put(launcher.type(), launcher);
            if (previous != null) {
                throw new IllegalStateException("Two launchers claim engine_type '" + launcher.type() + "': "
                        + previous.getClass().getName() + " and " + launcher.getClass().getName());
            }
        }
    }

    public LaunchPlan resolve(LaunchRequest r) {
        if (r == null) {
            throw InfercoreException.invalid(null, "request body is required (a JSON object with model_id and engine_type)");
        }
        if (blank(r.modelId())) {
            throw InfercoreException.invalid("model_id", "model_id is required; the catalog has " + catalog.ids());
        }
        CatalogModel model = catalog.find(r.modelId()).orElseThrow(() -> InfercoreException.invalid("model_id",
                "Unknown model_id '" + r.modelId() + "'; the catalog (" + catalog.source() + ") has " + catalog.ids()));
        if (blank(r.engineType())) {
            throw InfercoreException.invalid("engine_type", "engine_type is required; " + model.id() + " runs on "
                    + model.engines());
        }
        String engine = r.engineType();
        if (!engines.types().contains(engine)) {
            throw InfercoreException.invalid("engine_type", "Unknown engine_type '" + engine + "'; expected one of "
                    + engines.types());
        }
        if (!model.engines().contains(engine)) {
            throw InfercoreException.invalid("engine_type", "model '" + model.id() + "' runs on " + model.engines()
                    + ", not on " + engine);
        }
        ModelSize size = r.size() == null ? model.sizes().get(0) : model.size(r.size()).orElseThrow(() ->
                InfercoreException.invalid("size", "model '" + model.id() + "' has sizes " + model.sizeNames()
                        + ", not '" + r.size() + "'"));
        int maxReplicas = config.supervisor().maxReplicas();
        int replicas = r.replicas() == null ? 1 : r.replicas();
        if (replicas < 1 || replicas > maxReplicas) {
            throw InfercoreException.invalid("replicas", "replicas must be between 1 and " + maxReplicas
                    + " (supervisor.max_replicas), not " + replicas);
        }
        if (r.nGpu() != null && (r.nGpu() < 0 || r.nGpu() > MAX_GPUS)) {
            throw InfercoreException.invalid("n_gpu", "n_gpu must be between 0 and " + MAX_GPUS + ", not " + r.nGpu());
        }
        List<String> quantizations = model.quantizationsOn(engine);
        if (r.quantization() != null && !quantizations.contains(r.quantization())) {
            throw InfercoreException.invalid("quantization", "model '" + model.id() + "' offers quantizations "
                    + quantizations + (quantizations == model.quantizations() ? "" : " on " + engine)
                    + ", not '" + r.quantization() + "'");
        }
        List<String> formats = model.formatsOn(engine);
        if (r.format() != null && !formats.contains(r.format())) {
            throw InfercoreException.invalid("format", "model '" + model.id() + "' comes in formats " + formats
                    + (formats == model.formats() ? "" : " on " + engine) + ", not '" + r.format() + "'");
        }
        if (Boolean.TRUE.equals(r.enableThinking()) && !CatalogModel.LLM.equals(model.modelType())) {
            throw InfercoreException.invalid("enable_thinking", "'" + model.id() + "' is an " + model.modelType()
                    + " model: it has no thinking mode");
        }
        List<String> abilities = model.enforcedAbilities();
        if (Boolean.TRUE.equals(r.enableThinking()) && abilities != null && !abilities.contains("reasoning")) {
            throw InfercoreException.invalid("enable_thinking", "'" + model.id() + "' has no thinking mode: its "
                    + "abilities are " + abilities + " (no \"reasoning\"); leave enable_thinking out");
        }
        Map<String, Object> args = r.engineArgs() == null ? Map.of() : r.engineArgs();
        EngineLauncher launcher = launchers.get(engine);
        if (launcher == null) {
            throw InfercoreException.invalid("engine_type", "engine_type '" + engine + "' serves models it is given but "
                    + "cannot launch them; engines that launch: " + launchers.keySet());
        }
        return launcher.plan(new LaunchContext(r, model, size, replicas, args, config, directories));
    }

    /**
     * What a start request may set for {@code modelId}: per size, per engine the model lists, the
     * launcher's answer (an engine without a launcher answers {@code not_launchable}).
     */
    public Map<String, List<LaunchOptions>> options(String modelId) {
        CatalogModel model = catalog.find(modelId).orElseThrow(() -> InfercoreException.modelNotFound(
                "Unknown model '" + modelId + "'; the catalog (" + catalog.source() + ") has " + catalog.ids()));
        Map<String, List<LaunchOptions>> bySize = new LinkedHashMap<>();
        for (ModelSize size : model.sizes()) {
            LaunchContext.Choice choice = new LaunchContext.Choice(model, size, config);
            bySize.put(size.size(), model.engines().stream().map(engine -> {
                EngineLauncher launcher = launchers.get(engine);
                return launcher == null || !engines.types().contains(engine)
                        ? LaunchOptions.refused(engine, "not_launchable") : launcher.options(choice);
            }).toList());
        }
        return bySize;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

package io.infercore.access;

import io.infercore.config.InfercoreConfig;
import io.infercore.engine.EngineRegistry;
import io.infercore.inference.Target;
import io.infercore.supervisor.RunView;
import io.infercore.supervisor.Supervisor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;

import java.util.List;
import java.util.function.Function;

/**
 * Per-key model lists. A key with {@code models} may only address those models: the name a request
 * gives ({@code model_name} on {@code /api/v1}, {@code model} on {@code /v1}), the default model when
 * it gives none, the model of a {@code run_id}, or the catalog {@code model_id} of a start. A list
 * entry matches a model name, {@code engine/name}, or every model of an engine ({@code engine/*}).
 * Resources call this once the target is known; a key without a list passes everything.
 */
@ApplicationScoped
public class ModelGate {

    @Inject
    InfercoreConfig config;
    @Inject
    EngineRegistry engines;
    @Inject
    Supervisor supervisor;

    /** Generation (chat, generate, structured, completions): throws 403 when the caller's key may not use the target. */
    public void generation(ContainerRequestContext request, Target target, String param) {
        check(request, target, param, false);
    }

    /** Embeddings: as {@link #generation}, with the embedding defaults. */
    public void embedding(ContainerRequestContext request, Target target, String param) {
        check(request, target, param, true);
    }

    /** Starting {@code modelId} on {@code engine} ({@code POST /api/v1/models/start}). */
    public void start(ContainerRequestContext request, String engine, String modelId) {
        AccessFilter.caller(request).filter(k -> !k.allows(engine, modelId))
                .ifPresent(k -> {
                    throw AccessDenied.model(k.name(), modelId, "model_id");
                });
    }

    /** Adding or deleting a custom model: only a key that may use every model may change the catalog. */
    public void catalogChange(ContainerRequestContext request, String modelId) {
        AccessFilter.caller(request).filter(k -> !k.allowsEveryModel())
                .ifPresent(k -> {
                    throw AccessDenied.model(k.name(), modelId, "id");
                });
    }

    /** Acting on an existing run (stop). */
    public void run(ContainerRequestContext request, String runId) {
        AccessFilter.caller(request).filter(k -> !k.allowsEveryModel()).ifPresent(k -> {
            RunView run = supervisor.get(runId);
            if (!k.allows(run.engineType(), run.modelName()) && !k.allows(run.engineType(), run.modelId())
                    && !k.models().contains(runId)) {
                throw AccessDenied.model(k.name(), run.modelName(), "run_id");
            }
        });
    }

    /** {@code items} without those the caller's key may not use (listing endpoints). */
    public <T> List<T> visible(ContainerRequestContext request, List<T> items, Function<T, String> engine,
                               Function<T, String> model) {
        return AccessFilter.caller(request).filter(k -> !k.allowsEveryModel())
                .map(k -> items.stream().filter(i -> k.allows(engine.apply(i), model.apply(i))).toList())
                .orElse(items);
    }

    private void check(ContainerRequestContext request, Target target, String param, boolean embedding) {
        ApiKey key = AccessFilter.caller(request).orElse(null);
        if (key == null || key.allowsEveryModel()) {
            return;
        }
        String engine = blank(target.engineType());
        String model = blank(target.modelName());
        if (target.runId() != null) {
            if (key.models().contains(target.runId())) {
                return;
            }
            RunView run = supervisor.get(target.runId());
            engine = run.engineType();
            model = run.modelName();
        } else if (model == null) {
            if (!embedding) {
                model = config.defaultModelName();
                engine = engine == null ? config.defaultEngine() : engine;
            } else if (engine == null) {
                model = config.defaultEmbeddingModel();
                engine = engines.inProcessType(config.defaultEngine());
            }
        } else if (engine == null && (model.equals(config.defaultModelName()) || model.equals(config.defaultEmbeddingModel()))) {
            engine = engines.inProcessType(config.defaultEngine());
        }
        if (!key.allows(engine, model)) {
            throw AccessDenied.model(key.name(), model == null ? engine + "'s default model" : model, param);
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

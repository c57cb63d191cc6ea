package io.infercore.cli;

import io.infercore.config.InfercoreConfig;
import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineHealth;
import io.infercore.engine.GenerationRequest;
import io.infercore.engine.ModelInfo;
import io.infercore.engine.SamplingParams;
import io.infercore.engine.EngineProvider;
import io.infercore.engine.EngineRegistry;
import io.infercore.inference.Completion;
import io.infercore.inference.InferenceService;
import io.infercore.inference.Target;
import io.smallrye.mutiny.TimeoutException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Probes one engine the way a request would reach it: {@link EngineAdapter#health()}, then a short
 * greedy generation through {@link InferenceService} (so validation, model resolution and the
 * adapter are all exercised). The model tried is {@code default_model_name} on the default engine
 * and on {@code llamacpp} (which serves its GGUF under that name), else the first model the engine
 * lists. For {@code llamacpp} the default model is loaded first when it is not (e.g.
 * {@code load_on_start=false}), because a check without a generation proves little.
 */
@ApplicationScoped
public class EngineProbe {

    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(15);
    static final Duration LOAD_TIMEOUT = Duration.ofSeconds(120);
    static final Duration GENERATION_TIMEOUT = Duration.ofSeconds(60);
    static final String PROMPT = "Once upon a time";
    static final int MAX_TOKENS = 8;

    /** {@code ok}: healthy and generated; {@code up}: healthy, no generation tried; {@code down}; {@code failed}: the generation. */
    public enum Status { OK, UP, DOWN, FAILED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One row of the check table; {@code latencyMs} is the generation's when one ran, else the health probe's. */
    public record Result(String engine, Status status, long latencyMs, String hint) {
    }

    @Inject
    InferenceService inference;
    @Inject
    InfercoreConfig config;
    @Inject
    EngineRegistry engines;

    public Result probe(EngineAdapter adapter) {
        String engine = adapter.type();
        engines.provider(engine).inProcess().ifPresent(this::awaitDefaultModel);
        long started = System.nanoTime();
        EngineHealth health;
        try {
            health = adapter.health().await().atMost(HEALTH_TIMEOUT);
        } catch (RuntimeException e) {
            return new Result(engine, Status.DOWN, millisSince(started), "health probe failed: " + message(e));
        }
        long healthMs = millisSince(started);
        if (!health.up()) {
            return new Result(engine, Status.DOWN, healthMs, health.detail());
        }
        String model;
        try {
            model = modelToTry(adapter);
        } catch (RuntimeException e) {
            return new Result(engine, Status.FAILED, healthMs, "healthy, but listing its models failed: " + message(e));
        }
        if (model == null) {
            return new Result(engine, Status.UP, healthMs, "healthy at " + health.endpoint()
                    + ", but it lists no model, so no generation was tried");
        }
        long generating = System.nanoTime();
        try {
            Completion c = inference.generate(new Target(engine, model, null), new GenerationRequest(null, PROMPT, null,
                    new SamplingParams(MAX_TOKENS, 0.0, null, List.of(), null), null, null, null))
                    .await().atMost(GENERATION_TIMEOUT);
            return new Result(engine, Status.OK, millisSince(generating), c.modelName() + ": \""
                    + CheckTable.shorten(c.result().text().strip(), 48) + "\" (" + c.result().usage().completionTokens()
                    + " tokens)");
        } catch (TimeoutException e) {
            return new Result(engine, Status.FAILED, millisSince(generating), "model '" + model
                    + "': no answer within " + GENERATION_TIMEOUT.toSeconds() + " s");
        } catch (RuntimeException e) {
            return new Result(engine, Status.FAILED, millisSince(generating), "model '" + model + "': " + message(e));
        }
    }

    private String modelToTry(EngineAdapter adapter) {
        if (adapter.type().equals(config.defaultEngine()) || engines.provider(adapter.type()).inProcess().isPresent()) {
            return config.defaultModelName();
        }
        List<ModelInfo> models = adapter.listModels().await().atMost(HEALTH_TIMEOUT);
        return models.isEmpty() ? null : models.get(0).name();
    }

    /** Starts loading the default GGUF unless it is loading or loaded, and waits (bounded) for the outcome. */
    private void awaitDefaultModel(EngineProvider.InProcess engine) {
        try {
            engine.loadDefault(config.defaultModelName())
                    .get(LOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // health() reports the failure (or "loading") with its reason
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String message(Throwable t) {
        Throwable cause = t;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}

package io.infercore.metrics;

import io.infercore.engine.EmbeddingResult;
import io.infercore.engine.GenerationResult;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The inference meters ({@code infercore_*} on {@code /q/metrics}, listed in the README) and the
 * wrappers {@link io.infercore.inference.InferenceService} puts around every engine call. Engine
 * meters are labelled by {@code engine} and {@code model} only; request meters also by
 * {@code route} and {@code status}. Every label takes a bounded set of values: engines (types, and
 * the configured named instances such as {@code ollama:gpu2}), routes and statuses are fixed sets,
 * models go through {@link ModelLabels}.
 */
@ApplicationScoped
public class InferenceMetrics {

    private static final Duration[] REQUEST_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
            30, 60, 120, 300);
    private static final Duration[] TOKEN_BUCKETS = seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5, 10, 30);
    private static final Duration[] OVERHEAD_BUCKETS = seconds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
            0.025, 0.05, 0.1, 0.25, 1);
    private static final double[] RATE_BUCKETS = {1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

    private final MeterRegistry registry;
    private final ModelLabels models = new ModelLabels();
    /**
     * The meters by name and tag values. Building a meter (tags sorted, buckets copied, the
     * registry's lookup) on every request and every streamed token was several per cent of a
     * request's CPU at saturation (JFR); labels are bounded ({@link ModelLabels}), so is this map.
     */
    private final Map<List<String>, Meter> meters = new ConcurrentHashMap<>();

    @Inject
    public InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Times a one-shot engine call (model resolution) as engine time of {@code probe}. */
    public <T> Uni<T> engineCall(RequestProbe probe, Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            probe.engineStarted();
            return call.onTermination().invoke(probe::engineEnded);
        });
    }

    /** A complete generation: engine time, then tokens and tokens/s from its usage. */
    public Uni<GenerationResult> generation(RequestProbe probe, String engine, String model, Uni<GenerationResult> call) {
        return Uni.createFrom().deferred(() -> {
            long started = probe.engineStarted();
            return call.onTermination().invoke(probe::engineEnded)
                    .invoke(result -> tokens(engine, model, result.usage(), System.nanoTime() - started));
        });
    }

    /**
     * A stream: engine time from subscription to its end, time to the first delta, the time
     * between consecutive deltas, and tokens and tokens/s from the usage of its {@code Done}.
     */
    public Multi<StreamEvent> stream(RequestProbe probe, String engine, String model, Multi<StreamEvent> events) {
        return Multi.createFrom().deferred(() -> {
            StreamClock clock = new StreamClock(engine, model);
            return events
                    .onSubscription().invoke(() -> clock.started = probe.engineStarted())
                    .onItem().invoke(clock::observe)
                    .onCancellation().invoke(probe::clientGone)
                    .onTermination().invoke(probe::engineEnded);
        });
    }

    /** An embedding call: engine time, and its input tokens counted as prompt tokens. */
    public Uni<EmbeddingResult> embedding(RequestProbe probe, String engine, String model, Uni<EmbeddingResult> call) {
        return engineCall(probe, call).invoke(result -> {
            if (result.promptTokens() > 0) {
                counter("infercore.prompt.tokens", "Prompt (input) tokens processed by the engines",
                        engineTags(engine, result.model() == null ? model : result.model())).increment(result.promptTokens());
            }
        });
    }

    /** The end of an HTTP request the filter probed: count, latency and overhead by route, engine, model, status. */
    void finished(RequestProbe probe, int status) {
        String[] tags = {"route", probe.route(), "engine", probe.engine(), "model", models.of(probe.model()),
                "status", Integer.toString(status)};
        counter("infercore.requests", "Inference requests by route, engine, model and HTTP status", tags).increment();
        timer("infercore.request.duration",
                "Time from request arrival to the end of the response (streams: the last byte)", REQUEST_BUCKETS, tags)
                .record(probe.elapsedNanos(), TimeUnit.NANOSECONDS);
        timer("infercore.request.overhead",
                "Time spent in the service outside engine calls, per request (see X-Infercore-Overhead-Ms)",
                OVERHEAD_BUCKETS, "route", probe.route(), "engine", probe.engine())
                .record(probe.overheadNanos(), TimeUnit.NANOSECONDS);
    }

    private void tokens(String engine, String model, Usage usage, long engineNanos) {
        if (usage == null) {
            return;
        }
        String[] tags = engineTags(engine, model);
        counter("infercore.prompt.tokens", "Prompt (input) tokens processed by the engines", tags)
                .increment(usage.promptTokens());
        counter("infercore.completion.tokens", "Completion (output) tokens generated by the engines", tags)
                .increment(usage.completionTokens());
        if (usage.completionTokens() > 0 && engineNanos > 0) {
            ((DistributionSummary) meter(key("infercore.tokens.per.second", tags), () -> DistributionSummary
                    .builder("infercore.tokens.per.second")
                    .description("Completion tokens per second of engine time, per generation")
                    .tags(tags).serviceLevelObjectives(RATE_BUCKETS).register(registry)))
                    .record(usage.completionTokens() / (engineNanos / 1e9));
        }
    }

    private Counter counter(String name, String description, String... tags) {
        return (Counter) meter(key(name, tags), () -> Counter.builder(name).description(description).tags(tags)
                .register(registry));
    }

    private Timer timer(String name, String description, Duration[] buckets, String... tags) {
        return (Timer) meter(key(name, tags), () -> Timer.builder(name).description(description).tags(tags)
                .serviceLevelObjectives(buckets).register(registry));
    }

    private Meter meter(List<String> key, Supplier<Meter> create) {
        Meter meter = meters.get(key);
        return meter != null ? meter : meters.computeIfAbsent(key, k -> create.get());
    }

    private static List<String> key(String name, String... tags) {
        String[] key = new String[tags.length + 1];
        key[0] = name;
        System.arraycopy(tags, 0, key, 1, tags.length);
        return Arrays.asList(key);
    }

    private String[] engineTags(String engine, String model) {
        return new String[] {"engine", engine == null ? RequestProbe.NONE : engine, "model", models.of(model)};
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return durations;
    }

    /** Per-subscription timing of one stream (events arrive one at a time, in order). */
    private final class StreamClock {
        private final String engine;
        private final String model;
        private final String[] tags;
        volatile long started;
        private Timer betweenTokens;
        private boolean seenDelta;
        private long lastDelta;

        StreamClock(String engine, String model) {
            this.engine = engine;
            this.model = model;
            this.tags = engineTags(engine, model);
        }

        void observe(StreamEvent event) {
            long now = System.nanoTime();
            if (event instanceof StreamEvent.Delta) {
                if (!seenDelta) {
                    seenDelta = true;
                    timer("infercore.time.to.first.token", "Time from the start of an engine stream to its first delta",
                            REQUEST_BUCKETS, tags).record(now - started, TimeUnit.NANOSECONDS);
                    betweenTokens = timer("infercore.inter.token.latency",
                            "Time between consecutive deltas of an engine stream", TOKEN_BUCKETS, tags);
                } else {
                    betweenTokens.record(now - lastDelta, TimeUnit.NANOSECONDS);
                }
                lastDelta = now;
            } else if (event instanceof StreamEvent.Done done) {
                tokens(engine, model, done.usage(), now - started);
            }
        }
    }
}

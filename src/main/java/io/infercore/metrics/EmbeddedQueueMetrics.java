package io.infercore.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code infercore_embedded_queue_depth{model}}: requests waiting for a llama.cpp slot of each
 * model loaded in the embedded engine. A model's gauge exists from its load to its unload (the
 * names are the operator's, from the configuration and start requests, so they stay few).
 */
@ApplicationScoped
public class EmbeddedQueueMetrics {

    @Inject
    MeterRegistry registry;

    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    /** Starts reporting {@code depth} as the queue depth of {@code model}. */
    public void watch(String model, Supplier<Number> depth) {
        gauges.computeIfAbsent(model, m -> Gauge.builder("infercore.embedded.queue.depth", depth)
                .description("Requests waiting for a slot of a model of the embedded llama.cpp engine")
                .tag("model", m).register(registry));
    }

    public void unwatch(String model) {
        Gauge gauge = gauges.remove(model);
        if (gauge != null) {
            registry.remove(gauge);
        }
    }
}

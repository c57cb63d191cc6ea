package io.infercore.health;

import io.infercore.engine.EngineAdapter;
import io.infercore.engine.EngineHealth;
import io.infercore.engine.EngineRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;

/**
 * The health of every engine instance, each probed on its own and concurrently: the default
 * instance of every engine type and every named one ({@code <engine>.instances}). A probe that
 * fails or does not answer in time marks only its own instance down.
 */
@ApplicationScoped
public class EngineInstancesHealth {

    /** One instance's state as {@code GET /api/v1/health} and readiness report it. */
    public record InstanceHealth(String engine, String instance, String address, boolean up, String endpoint,
                                 String detail) {
    }

    @Inject
    EngineRegistry engines;

    /** Every instance, in {@link EngineRegistry#instances()} order. */
    public Uni<List<InstanceHealth>> all(Duration bound) {
        return of(engines.instances(), bound);
    }

    /** The named instances only (readiness: without instances, nothing is probed). */
    public Uni<List<InstanceHealth>> named(Duration bound) {
        return of(engines.instances().stream().filter(a -> a.instance() != null).toList(), bound);
    }

    private static Uni<List<InstanceHealth>> of(List<EngineAdapter> adapters, Duration bound) {
        if (adapters.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<InstanceHealth>> probes = adapters.stream().map(a -> probe(a, bound)).toList();
        return Uni.join().all(probes).andFailFast();
    }

    private static Uni<InstanceHealth> probe(EngineAdapter adapter, Duration bound) {
        return Uni.createFrom().deferred(adapter::health)
                .ifNoItem().after(bound).recoverWithItem(() -> new EngineHealth(adapter.address(), false, null,
                        "no answer to the health probe within " + bound.toMillis() + " ms"))
                .onFailure().recoverWithItem(t -> new EngineHealth(adapter.address(), false, null, t.getMessage()))
                .map(h -> new InstanceHealth(adapter.type(), adapter.instance() == null ? "default" : adapter.instance(),
                        adapter.address(), h.up(), h.endpoint(), h.detail()));
    }
}

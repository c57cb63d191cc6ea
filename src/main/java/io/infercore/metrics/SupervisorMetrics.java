package io.infercore.metrics;

import io.infercore.engine.EngineRegistry;
import io.infercore.supervisor.RunStatus;
import io.infercore.supervisor.RunView;
import io.infercore.supervisor.Supervisor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The supervisor's meters: {@code infercore_runs{engine,status}} (a gauge read from the run
 * table at each scrape), {@code infercore_run_restarts_total{engine}} and
 * {@code infercore_run_launch_duration_seconds{engine,outcome}} (from the start request until
 * every replica serves, or until the start failed).
 */
@ApplicationScoped
public class SupervisorMetrics {

    private static final Duration[] LAUNCH_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(30), Duration.ofHours(1)};

    @Inject
    MeterRegistry registry;
    @Inject
    EngineRegistry engines;
    @Inject
    Supervisor supervisor;

    private final List<Gauge> gauges = new CopyOnWriteArrayList<>();

    void onStart(@Observes StartupEvent event) {
        for (String engine : engines.types()) {
            for (RunStatus status : RunStatus.values()) {
                gauges.add(Gauge.builder("infercore.runs", () -> count(engine, status))
                        .description("Model runs by engine and status (the built-in embedded models included)")
                        .tags("engine", engine, "status", status.label()).register(registry));
            }
        }
    }

    /**
     * The registry may outlive this bean (Micrometer's global registry across the application
     * restarts of dev mode and tests), and a gauge registered again keeps its first function:
     * remove them, or the next start would read this instance's supervisor.
     */
    void onStop(@Observes ShutdownEvent event) {
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    /** One restart of a replica of a run on {@code engine} (a crash, failed health checks, an evicted model). */
    public void restarted(String engine) {
        Counter.builder("infercore.run.restarts").description("Restarts of run replicas by the supervisor")
                .tag("engine", engine).register(registry).increment();
    }

    /** A start that ended: {@code ready} when every replica serves, else it failed (or was stopped first). */
    public void launched(String engine, long nanos, boolean ready) {
        Timer.builder("infercore.run.launch.duration")
                .description("Time from a start request until the run serves (outcome ready) or its start failed")
                .tags("engine", engine, "outcome", ready ? "ready" : "failed")
                .serviceLevelObjectives(LAUNCH_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    private double count(String engine, RunStatus status) {
        List<RunView> runs;
        try {
            runs = supervisor.list();
        } catch (RuntimeException e) {
            return 0; // the supervisor is still starting
        }
        return runs.stream().filter(r -> r.engineType().equals(engine) && r.status() == status).count();
    }
}

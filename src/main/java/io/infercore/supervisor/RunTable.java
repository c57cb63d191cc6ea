package io.infercore.supervisor;

import io.infercore.engine.EndpointRegistry;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Every run, by id, persisted through {@link RunStateStore} after each change, and dispatched to
 * the {@link RunDriver} of its mode. Plain Java (no CDI), so the whole lifecycle, including a
 * service restart that re-adopts engines, can be exercised in a unit test.
 */
final class RunTable {

    private static final Logger LOG = Logger.getLogger(RunTable.class);

    private final RunStateStore store;
    private final Map<RunMode, RunDriver> drivers;
    private final EndpointRegistry registry;
    private final Path runsDir;
    private final Map<String, ModelRun> runs = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile Consumer<ModelRun> restartListener = run -> { };

    RunTable(RunStateStore store, Map<RunMode, RunDriver> drivers, EndpointRegistry registry, Path runsDir) {
        this.store = store;
        this.drivers = Map.copyOf(drivers);
        this.registry = registry;
        this.runsDir = runsDir;
    }

    /**
     * Registers and starts a run of {@code plan}; 409 when the same engine already serves the same
     * model name, unless the driver answers a repeated launch with the run that serves it
     * ({@link RunDriver#alreadyServing}). The driver may also find the launch already made
     * elsewhere ({@link RunDriver#prepare} returns another gateway's run): that run is the answer.
     */
    synchronized ModelRun start(LaunchPlan plan, LaunchProgress.Sink sink) {
        RunDriver driver = driver(plan.mode());
        ModelRun serving = runs.values().stream()
                .filter(r -> r.plan.engineType().equals(plan.engineType()) && r.plan.modelName().equals(plan.modelName()))
                .filter(r -> r.status() != RunStatus.FAILED && r.status() != RunStatus.STOPPED)
                .findFirst().orElse(null);
        if (serving != null) {
            ModelRun same = serving.plan.mode() == plan.mode() ? driver.alreadyServing(serving, plan) : null;
            if (same == null) {
                throw new InfercoreException(ErrorKind.CONFLICT, plan.engineType() + " already serves '"
                        + plan.modelName() + "' as run " + serving.id + " (" + serving.status().label() + "); use that "
                        + "run_id, stop it first, or start it with more replicas");
            }
            same.addSink(sink);
            return same;
        }
        ModelRun run = new ModelRun(driver.newRunId(plan), plan, Instant.now());
        ModelRun prepared = driver.prepare(run);
        if (prepared != run) {
            prepared.addSink(sink);
            return prepared;
        }
        run.addSink(sink);
        run.onChange = this::persist;
        run.onRestart = () -> restartListener.accept(run);
        runs.put(run.id, run);
        run.event("starting " + plan.modelId() + " " + plan.size() + " (" + plan.modelSource() + ") on "
                + plan.engineType() + " as '" + plan.modelName() + "'");
        run.progress(LaunchProgress.RESOLVING, "resolved " + plan.modelId() + " " + plan.size() + " to "
                + plan.modelSource() + " on " + plan.engineType(), 0.05, null, null);
        persist();
        driver.start(run);
        return run;
    }

    /** Tells {@code listener} of every restart of a replica of any run. */
    void onRestart(Consumer<ModelRun> listener) {
        this.restartListener = listener;
    }

    /** Adds a run the service owns by itself (not persisted, never started or stopped here). */
    void addBuiltin(ModelRun run) {
        runs.put(run.id, run);
    }

    /**
     * Adds a run another party launched (a Kubernetes run found in the cluster); a run already
     * known keeps its entry. Not persisted: the cluster holds it.
     */
    void adopt(ModelRun run) {
        run.onChange = this::persist;
        run.onRestart = () -> restartListener.accept(run);
        runs.putIfAbsent(run.id, run);
    }

    /** Forgets a run whose workload was removed elsewhere: out of routing and out of the list. */
    void forget(String id) {
        ModelRun run = runs.remove(id);
        registry.removeRun(id);
        if (run != null) {
            run.stopped = true;
            run.startFailed(new InfercoreException(ErrorKind.NOT_FOUND, "run " + id + " was stopped before it was ready"));
        }
    }

    Optional<ModelRun> get(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    Collection<ModelRun> all() {
        return runs.values().stream().sorted(Comparator.comparing((ModelRun r) -> r.createdAt)).toList();
    }

    /** Stops the run (blocking until its processes are gone) and forgets it. */
    ModelRun stop(String id) {
        ModelRun run = get(id).orElseThrow(() -> unknown(id));
        if (run.plan.mode() == RunMode.BUILTIN) {
            throw new InfercoreException(ErrorKind.CONFLICT, "run " + id + " is the service's built-in model '"
                    + run.plan.modelName() + "'; it cannot be stopped (configure llamacpp.load_on_start instead)");
        }
        run.event("stopping");
        driver(run.plan.mode()).stop(run);
        run.stopped = true;
        run.startFailed(new InfercoreException(ErrorKind.NOT_FOUND, "run " + id + " was stopped before it was ready"));
        registry.removeRun(id);
        runs.remove(id);
        persist();
        deleteQuietly(runsDir.resolve(id));
        run.event("stopped");
        return run;
    }

    /** One health check of every run (drivers probe in the background). */
    void checkHealth() {
        if (closed) {
            return;
        }
        for (ModelRun run : runs.values()) {
            if (!run.stopping && run.plan.mode() != RunMode.BUILTIN) {
                try {
                    driver(run.plan.mode()).check(run);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "Health check of run %s failed", run.id);
                }
            }
        }
    }

    /**
     * Reads the state file and hands each run to its driver to re-adopt. Returns the problems to
     * report (a corrupt state file); the runs found are listed whatever their fate.
     */
    List<String> restore() {
        RunStateStore.Loaded loaded = store.load();
        List<String> problems = new ArrayList<>();
        if (loaded.problem() != null) {
            problems.add(loaded.problem());
        }
        for (RunState state : loaded.runs()) {
            ModelRun run = new ModelRun(state.runId(), state.plan(), Instant.ofEpochMilli(state.createdAt()));
            run.reason = state.reason();
            run.onChange = this::persist;
            run.onRestart = () -> restartListener.accept(run);
            runs.put(run.id, run);
            try {
                driver(run.plan.mode()).restore(run, state);
            } catch (RuntimeException e) {
                run.reason = "could not be re-adopted: " + e.getMessage();
                run.replicas.forEach(r -> r.status = RunStatus.FAILED);
                problems.add("run " + run.id + " " + run.reason);
            }
        }
        if (!loaded.runs().isEmpty()) {
            persist();
        }
        return problems;
    }

    /** Service shutdown: stop every run, or leave engines running for the next start to re-adopt. */
    void shutdown(boolean stopChildren) {
        if (closed) {
            return;
        }
        if (stopChildren) {
            // Kubernetes runs belong to the cluster, shared by every gateway replica: they outlive this one.
            List<String> ids = runs.values().stream().filter(r -> r.plan.mode() != RunMode.BUILTIN
                    && r.plan.mode() != RunMode.KUBERNETES).map(r -> r.id).toList();
            ids.parallelStream().forEach(id -> {
                try {
                    stop(id);
                } catch (RuntimeException e) {
                    LOG.warnf("Stopping run %s at shutdown failed: %s", id, e.getMessage());
                }
            });
        }
        closed = true; // with engines left running, the state file already lists them (it is written on every change)
        drivers.values().forEach(RunDriver::detach);
    }

    List<String> logs(ModelRun run, Replica replica, int lines) {
        return driver(run.plan.mode()).logs(run, replica, lines);
    }

    synchronized void persist() {
        if (closed) {
            return;
        }
        store.save(runs.values().stream().filter(r -> r.plan.mode() != RunMode.BUILTIN
                        && r.plan.mode() != RunMode.KUBERNETES && !r.stopped)
                .sorted(Comparator.comparing((ModelRun r) -> r.createdAt)).map(ModelRun::state).toList());
    }

    static InfercoreException unknown(String id) {
        return new InfercoreException(ErrorKind.NOT_FOUND, "run_id '" + id
                + "' does not name a running model; list runs with GET /api/v1/models/running");
    }

    private RunDriver driver(RunMode mode) {
        RunDriver driver = drivers.get(mode);
        if (driver == null) {
            throw new InfercoreException(ErrorKind.UNSUPPORTED, "runs of mode '" + mode.label() + "' are not available");
        }
        return driver;
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf("Cannot delete %s: %s", dir, e.getMessage());
        }
    }
}

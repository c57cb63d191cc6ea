package io.infercore.supervisor;

import java.util.List;
import java.util.Map;

/**
 * The drivers engines bring for one {@link RunMode} ({@link EngineLauncher#drivers}), as one
 * driver: each call goes to the driver of the run's engine. Two engines can thus serve runs of
 * the same mode (two in-process engines) without the run table knowing either.
 */
final class EngineDrivers implements RunDriver {

    private final RunMode mode;
    private final Map<String, RunDriver> byEngine;

    EngineDrivers(RunMode mode, Map<String, RunDriver> byEngine) {
        this.mode = mode;
        this.byEngine = Map.copyOf(byEngine);
    }

    private RunDriver of(LaunchPlan plan) {
        RunDriver driver = byEngine.get(plan.engineType());
        if (driver == null) {
            throw new IllegalStateException("no " + mode.label() + " driver for engine_type '" + plan.engineType()
                    + "'; engines with one: " + byEngine.keySet());
        }
        return driver;
    }

    @Override
    public String newRunId(LaunchPlan plan) {
        return of(plan).newRunId(plan);
    }

    @Override
    public ModelRun prepare(ModelRun run) {
        return of(run.plan).prepare(run);
    }

    @Override
    public ModelRun alreadyServing(ModelRun serving, LaunchPlan plan) {
        return of(plan).alreadyServing(serving, plan);
    }

    @Override
    public void start(ModelRun run) {
        of(run.plan).start(run);
    }

    @Override
    public void check(ModelRun run) {
        of(run.plan).check(run);
    }

    @Override
    public void stop(ModelRun run) {
        of(run.plan).stop(run);
    }

    @Override
    public void restore(ModelRun run, RunState state) {
        of(run.plan).restore(run, state);
    }

    @Override
    public List<String> logs(ModelRun run, Replica replica, int lines) {
        return of(run.plan).logs(run, replica, lines);
    }

    @Override
    public void detach() {
        byEngine.values().forEach(RunDriver::detach);
    }
}

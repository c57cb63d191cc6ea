package io.infercore.supervisor;

import java.util.List;
import java.util.UUID;

/**
 * Lifecycle of the runs of one {@link RunMode}. {@link RunTable} owns the runs and persistence;
 * a driver starts, watches and stops them. Blocking work (probes, waits, downloads) happens on
 * the driver's own threads, never on the caller's.
 */
interface RunDriver {

    /** The id of a new run of {@code plan}: random, unless the driver needs one the plan decides. */
    default String newRunId(LaunchPlan plan) {
        return plan.engineType() + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /**
     * Checks and reserves what the run needs (GPUs, ...) before it is registered; throws 4xx
     * failures. Returns {@code run}, or the run another party already made of the same launch
     * (then already registered and started, and not started again).
     */
    default ModelRun prepare(ModelRun run) {
        return run;
    }

    /**
     * A start of {@code plan} while {@code serving} serves the same model on the same engine:
     * null refuses it (409); a driver whose launches are idempotent returns the run to answer with.
     */
    default ModelRun alreadyServing(ModelRun serving, LaunchPlan plan) {
        return null;
    }

    /** Starts the run in the background; completes or fails {@link ModelRun#started}. */
    void start(ModelRun run);

    /** One health check of a started run (periodic). */
    void check(ModelRun run);

    /** Stops the run and frees what it held; blocks until done. */
    void stop(ModelRun run);

    /** Takes over a run found in the state file after a service restart. */
    void restore(ModelRun run, RunState state);

    /** The last {@code lines} lines of a replica's engine output; empty for engines without a process of ours. */
    default List<String> logs(ModelRun run, Replica replica, int lines) {
        return List.of();
    }

    /** Called on service shutdown when engines are left running: stop watching, keep processes. */
    default void detach() {
    }
}

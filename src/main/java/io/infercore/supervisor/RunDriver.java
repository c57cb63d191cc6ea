package io.infercore.supervisor;

import java.util.List;

/**
 * Lifecycle of the runs of one {@link RunMode}. {@link RunTable} owns the runs and persistence;
 * a driver starts, watches and stops them. Blocking work (probes, waits, downloads) happens on
 * the driver's own threads, never on the caller's.
 */
interface RunDriver {

    /** Checks and reserves what the run needs (GPUs, ...) before it is registered; throws 4xx failures. */
    default void prepare(ModelRun run) {
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

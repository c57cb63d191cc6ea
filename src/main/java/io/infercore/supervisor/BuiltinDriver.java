package io.infercore.supervisor;

import java.util.Optional;
import java.util.function.Function;

/**
 * The models the service loads by itself (the embedded default model, the embedded embedding
 * model): listed as runs so {@code GET /api/v1/models/running} shows everything that can answer,
 * with the status the embedded engine reports. They are never started, stopped or persisted here.
 */
final class BuiltinDriver implements RunDriver {

    /** A built-in run's plan → its engine's state of the model ({@code loading}, {@code ready}, {@code failed}); empty = not loaded. */
    private final Function<LaunchPlan, Optional<String>> status;

    BuiltinDriver(Function<LaunchPlan, Optional<String>> status) {
        this.status = status;
    }

    @Override
    public void start(ModelRun run) {
        check(run);
    }

    /** Refreshes the status from the engine (cheap; called when the runs are listed). */
    @Override
    public void check(ModelRun run) {
        String state = status.apply(run.plan).orElse("not loaded");
        Replica r = run.replicas.get(0);
        r.status = switch (state) {
            case "ready" -> RunStatus.RUNNING;
            case "loading" -> RunStatus.STARTING;
            case "failed" -> RunStatus.FAILED;
            default -> RunStatus.STOPPED;
        };
        r.lastError = r.status == RunStatus.RUNNING || r.status == RunStatus.STARTING ? null
                : "the embedded engine reports the model as " + state;
        run.reason = r.lastError;
    }

    @Override
    public void stop(ModelRun run) {
        throw new IllegalStateException("built-in runs are not stopped by the supervisor");
    }

    @Override
    public void restore(ModelRun run, RunState state) {
        check(run);
    }
}

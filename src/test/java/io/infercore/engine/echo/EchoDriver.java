package io.infercore.engine.echo;

import io.infercore.supervisor.ModelRun;
import io.infercore.supervisor.Replica;
import io.infercore.supervisor.RunDriver;
import io.infercore.supervisor.RunState;
import io.infercore.supervisor.RunStatus;

/** Echo runs: nothing to load, so a start serves at once and a stop only says so. */
final class EchoDriver implements RunDriver {

    @Override
    public void start(ModelRun run) {
        Replica r = run.replicas.get(0);
        r.status = RunStatus.RUNNING;
        r.lastError = null;
        run.event("echoing as '" + run.plan.modelName() + "'");
        run.changed();
        run.replicaReady();
    }

    @Override
    public void check(ModelRun run) {
    }

    @Override
    public void stop(ModelRun run) {
        run.stopping = true;
        run.replicas.forEach(r -> r.status = RunStatus.STOPPED);
    }

    @Override
    public void restore(ModelRun run, RunState state) {
        start(run);
    }
}

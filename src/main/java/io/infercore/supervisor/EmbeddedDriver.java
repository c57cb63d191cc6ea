package io.infercore.supervisor;

import io.infercore.engine.llamacpp.LlamaCppEngine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * GGUF models run in-process by the embedded llama.cpp engine, several at once under their own
 * names. A file missing from {@code <models_dir>/gguf} is downloaded from the hub first
 * ({@link HubDownloader}: resumable, size and SHA-256 checked, byte progress). These runs live in
 * this JVM, so after a service restart they are loaded again from the file.
 */
final class EmbeddedDriver implements RunDriver {

    private final LlamaCppEngine llamacpp;
    private final HubDownloader hub;
    private final Path ggufDir;
    private final SupervisorSettings settings;
    private final ExecutorService workers;

    EmbeddedDriver(LlamaCppEngine llamacpp, HubDownloader hub, Path ggufDir, SupervisorSettings settings,
                   ExecutorService workers) {
        this.llamacpp = llamacpp;
        this.hub = hub;
        this.ggufDir = ggufDir;
        this.settings = settings;
        this.workers = workers;
    }

    @Override
    public void start(ModelRun run) {
        workers.execute(() -> bringUp(run, true));
    }

    private void bringUp(ModelRun run, boolean first) {
        Replica r = run.replicas.get(0);
        try {
            Path file = Path.of(run.plan.modelSource());
            if (!Files.isRegularFile(file) && run.plan.gguf() == null) {
                throw new java.io.FileNotFoundException("the GGUF file " + file + " is gone (registered as a local file)");
            }
            if (!Files.isRegularFile(file)) {
                run.progress(LaunchProgress.DOWNLOADING, "downloading " + hub.url(run.plan.gguf()), 0.05, null, null);
                file = hub.fetch(run.plan.gguf(), ggufDir, (done, total) -> run.progress(LaunchProgress.DOWNLOADING,
                        "downloading " + run.plan.gguf().file(), total > 0 ? 0.05 + 0.75 * done / total : 0.05,
                        done, total < 0 ? null : total), () -> run.stopping);
                run.event("downloaded " + file);
            }
            if (run.stopping) {
                return;
            }
            run.progress(LaunchProgress.LOADING, "loading " + file.getFileName() + " into the embedded engine", 0.85,
                    null, null);
            llamacpp.load(run.plan.modelName(), file).get(settings.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (run.stopping) {
                llamacpp.unload(run.plan.modelName());
                return;
            }
            r.status = RunStatus.RUNNING;
            r.lastError = null;
            run.reason = null;
            run.event("loaded " + file + " as '" + run.plan.modelName() + "'");
            run.changed();
            run.replicaReady();
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            llamacpp.unload(run.plan.modelName()); // a failed load stays registered in the engine otherwise
            r.status = RunStatus.FAILED;
            r.lastError = cause.getMessage();
            run.reason = (first ? "start failed: " : "reload after the service restart failed: ") + cause.getMessage();
            run.event(run.reason);
            run.changed();
            run.startFailed(cause);
        }
    }

    @Override
    public void check(ModelRun run) {
        Replica r = run.replicas.get(0);
        if (r.status != RunStatus.RUNNING) {
            return;
        }
        String state = llamacpp.status(run.plan.modelName()).orElse("unloaded");
        if (!"ready".equals(state)) {
            r.status = RunStatus.FAILED;
            r.lastError = "the embedded engine reports the model as " + state;
            run.reason = r.lastError;
            run.event(r.lastError);
            run.changed();
        }
    }

    @Override
    public void stop(ModelRun run) {
        run.stopping = true;
        llamacpp.unload(run.plan.modelName());
        run.replicas.forEach(r -> r.status = RunStatus.STOPPED);
    }

    @Override
    public void restore(ModelRun run, RunState state) {
        run.event("loading the GGUF again after the service restart");
        workers.execute(() -> bringUp(run, false));
    }
}

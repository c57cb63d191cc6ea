package io.infercore.supervisor;

import io.infercore.engine.EndpointRegistry;
import io.infercore.engine.ollama.OllamaEngine;
import io.infercore.engine.ollama.OllamaWire;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ollama runs (seed limitations 1 and 5: they are real runs now, listed and stoppable). Start:
 * {@code HEAD /} must answer, then {@code /api/pull} through {@link OllamaEngine#pull} with its
 * byte progress, then a load (an empty {@code /api/generate}, or {@code /api/embed} for an
 * embedding model) with {@code keep_alive} -1 so Ollama keeps the model loaded until the run
 * stops; stop unloads it with {@code keep_alive: 0}. Health: {@code HEAD /}, and a model Ollama
 * evicted anyway (its own restart, memory pressure) is loaded again.
 *
 * <p>The load is sent with a minimal client ({@link OllamaModelCalls}, shared with the Kubernetes
 * backend): the Ollama adapter exposes pull and unload but no load (nor a public way to send
 * {@code keep_alive} -1).
 */
final class OllamaDriver implements RunDriver {

    private final OllamaEngine ollama;
    private final SupervisorSettings settings;
    private final EndpointRegistry registry;
    private final ExecutorService workers;
    private final Readiness readiness = new Readiness();
    private final OllamaModelCalls calls = new OllamaModelCalls();

    OllamaDriver(OllamaEngine ollama, SupervisorSettings settings, EndpointRegistry registry, ExecutorService workers) {
        this.ollama = ollama;
        this.settings = settings;
        this.registry = registry;
        this.workers = workers;
    }

    @Override
    public void start(ModelRun run) {
        workers.execute(() -> {
            try {
                bringUp(run, true);
                run.replicaReady();
            } catch (RuntimeException e) {
                Replica r = run.replicas.get(0);
                r.status = RunStatus.FAILED;
                r.lastError = e.getMessage();
                run.reason = e.getMessage();
                run.event("start failed: " + e.getMessage());
                run.changed();
                run.startFailed(e);
            }
        });
    }

    private void bringUp(ModelRun run, boolean pull) {
        Replica r = run.replicas.get(0);
        String name = run.plan.modelName();
        r.baseUrl = ollama.baseUrl();
        if (!readiness.probe(ollama.baseUrl() + "/", "HEAD", settings.probeTimeout())) {
            throw new LaunchFailure("Ollama is not reachable at " + ollama.baseUrl() + " (HEAD / did not answer 200); "
                    + "start it with `ollama serve` or set ollama.base_url", List.of());
        }
        if (pull) {
            run.progress(LaunchProgress.DOWNLOADING, "pulling " + name, 0.1, null, null);
            ollama.pull(name).onItem().invoke(p -> {
                boolean bytes = p.total() != null && p.total() > 0;
                double fraction = bytes && p.completed() != null ? 0.1 + 0.7 * p.completed() / (double) p.total() : 0.1;
                run.progress(LaunchProgress.DOWNLOADING, p.status(), fraction,
                        bytes ? (p.completed() == null ? 0L : p.completed()) : null, bytes ? p.total() : null);
            }).collect().last().await().atMost(settings.startupTimeout());
            run.event("pulled " + name);
        }
        if (run.stopping) {
            return;
        }
        run.progress(LaunchProgress.LOADING, "loading " + name + " into Ollama", 0.85, null, null);
        load(run);
        r.status = RunStatus.RUNNING;
        r.lastError = null;
        registry.register(run.plan.engineType(), name, ollama.baseUrl(), run.id, 0);
        run.event("loaded into Ollama at " + ollama.baseUrl());
        run.changed();
    }

    private void load(ModelRun run) {
        calls.load(ollama.baseUrl(), run.plan, settings.startupTimeout());
    }

    @Override
    public void check(ModelRun run) {
        Replica r = run.replicas.get(0);
        if (run.stopping || r.status == RunStatus.FAILED || r.status == RunStatus.STARTING
                || !r.probing.compareAndSet(false, true)) {
            return;
        }
        workers.execute(() -> {
            try {
                checkNow(run, r);
            } finally {
                r.probing.set(false);
            }
        });
    }

    private void checkNow(ModelRun run, Replica r) {
        String name = run.plan.modelName();
        if (!readiness.probe(ollama.baseUrl() + "/", "HEAD", settings.probeTimeout())) {
            registry.remove(run.plan.engineType(), name, ollama.baseUrl());
            if (r.status != RunStatus.UNHEALTHY) {
                r.status = RunStatus.UNHEALTHY;
                run.event("Ollama at " + ollama.baseUrl() + " is not answering HEAD /");
                run.changed();
            }
            return;
        }
        boolean loaded;
        try {
            loaded = run.plan.embedding() || ollama.ps().await().atMost(settings.probeTimeout()).stream()
                    .map(OllamaWire.RunningModel::name).anyMatch(name::equals);
        } catch (RuntimeException e) {
            loaded = true; // cannot tell; HEAD / answered
        }
        if (!loaded) {
            r.status = RunStatus.RESTARTING;
            run.restarted(r);
            run.event("Ollama no longer has '" + name + "' loaded; loading it again");
            run.changed();
            try {
                load(run);
            } catch (RuntimeException e) {
                r.status = RunStatus.UNHEALTHY;
                r.lastError = e.getMessage();
                registry.remove(run.plan.engineType(), name, ollama.baseUrl());
                run.changed();
                return;
            }
        }
        if (r.status != RunStatus.RUNNING) {
            r.status = RunStatus.RUNNING;
            r.lastError = null;
            run.event("healthy");
            run.changed();
        }
        registry.register(run.plan.engineType(), name, ollama.baseUrl(), run.id, 0);
    }

    @Override
    public void stop(ModelRun run) {
        run.stopping = true;
        registry.removeRun(run.id);
        // The stop waits a while for the unload, but a slow Ollama does not cancel it: the request
        // goes on and the model still leaves Ollama's memory (the outcome is logged either way).
        CompletableFuture<Void> unload = ollama.unload(run.plan.modelName()).subscribeAsCompletionStage();
        unload.whenComplete((ok, e) -> run.event(e == null ? "unloaded from Ollama (keep_alive 0)"
                : "could not unload from Ollama: " + e.getMessage()));
        try {
            unload.get(settings.probeTimeout().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            run.event("unload from Ollama still pending; the stop goes on");
        } catch (ExecutionException e) {
            // logged by whenComplete
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        run.replicas.forEach(r -> r.status = RunStatus.STOPPED);
    }

    @Override
    public void restore(ModelRun run, RunState state) {
        Replica r = run.replicas.get(0);
        r.baseUrl = ollama.baseUrl();
        r.status = RunStatus.UNHEALTHY; // until the check below finds Ollama (and reloads the model if needed)
        check(run);
        run.started.complete(null);
    }
}

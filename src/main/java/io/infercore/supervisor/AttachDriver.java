package io.infercore.supervisor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.engine.EndpointRegistry;
import io.infercore.engine.http.EngineHttp;
import io.infercore.error.ErrorKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * Runs on a vLLM or SGLang server someone else started ({@code vllm.base_url} /
 * {@code sglang.base_url} configured): the start checks that the server is ready and serves the
 * model (through {@code /v1/models}), health checks follow its probe, and stop only forgets the
 * run: the server is not ours to stop, nor to restart. A named instance ({@code vllm:box1},
 * {@code <engine>.instances}) is such a server too: its runs attach to it with its own API key and
 * register under its address, so requests by run id or by model name reach that server.
 */
final class AttachDriver implements RunDriver {

    /** How long a call to the server may take to connect (what the JDK client of before allowed). */
    private static final Duration CONNECT = Duration.ofSeconds(2);

    private final SupervisorSettings settings;
    private final EndpointRegistry registry;
    private final ExecutorService workers;
    private final Readiness readiness = new Readiness();
    private final ObjectMapper json = new ObjectMapper();
    /** The Bearer token of the server a plan attaches to (null: none); never stored in the plan. */
    private final java.util.function.Function<String, String> probes;
    private final java.util.function.Function<LaunchPlan, String> keys;

    /** {@code probes}: the readiness and health route of each engine type (its server command's). */
    AttachDriver(SupervisorSettings settings, EndpointRegistry registry, ExecutorService workers,
                 java.util.function.Function<String, String> probes) {
        this(settings, registry, workers, probes, plan -> null);
    }

    AttachDriver(SupervisorSettings settings, EndpointRegistry registry, ExecutorService workers,
                 java.util.function.Function<String, String> probes, java.util.function.Function<LaunchPlan, String> keys) {
        this.settings = settings;
        this.registry = registry;
        this.workers = workers;
        this.probes = probes;
        this.keys = keys;
    }

    /** The setting that names the server: {@code vllm.base_url}, or {@code vllm.instances.box1.base_url}. */
    private static String setting(LaunchPlan plan) {
        return plan.instance() == null ? plan.engineType() + ".base_url"
                : plan.engineType() + ".instances." + plan.instance() + ".base_url";
    }

    /** What to do when the server does not serve: start it, or let the supervisor launch one. */
    private static String remedy(LaunchPlan plan) {
        return plan.instance() == null ? "unset " + setting(plan) + " so the supervisor launches a server"
                : "start engine_type " + plan.engineType() + " to launch a local server";
    }

    @Override
    public void start(ModelRun run) {
        run.progress(LaunchProgress.LAUNCHING, "attaching to the " + run.plan.address() + " server at "
                + run.plan.attachUrl(), 0.3, null, null);
        workers.execute(() -> {
            try {
                attach(run);
                run.replicaReady();
            } catch (LaunchFailure f) {
                Replica r = run.replicas.get(0);
                r.status = RunStatus.FAILED;
                r.lastError = f.getMessage();
                run.reason = f.getMessage();
                run.event(f.getMessage());
                run.changed();
                run.startFailed(f);
            }
        });
    }

    private void attach(ModelRun run) {
        Replica r = run.replicas.get(0);
        String url = run.plan.attachUrl();
        String probe = probes.apply(run.plan.engineType());
        r.baseUrl = url;
        long deadline = System.nanoTime() + settings.stallTimeout().toNanos();
        while (!readiness.probe(url + probe, "GET", settings.probeTimeout())) {
            if (run.stopping) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchFailure(run.plan.address() + " at " + url + " did not answer GET " + probe
                        + " with 200 within " + settings.stallTimeout().toSeconds() + " s; start it, or "
                        + remedy(run.plan), List.of());
            }
            Readiness.sleep(settings.pollInterval());
        }
        List<String> served = servedModels(run.plan, url);
        if (!served.contains(run.plan.modelName())) {
            throw new LaunchFailure(ErrorKind.MODEL_NOT_FOUND, run.plan.address() + " at " + url + " serves "
                    + served + ", not '" + run.plan.modelName() + "': start that server with this model, or "
                    + remedy(run.plan), List.of());
        }
        r.status = RunStatus.RUNNING;
        registry.register(run.plan.address(), run.plan.modelName(), url, run.id, 0);
        run.event("attached to " + url);
        run.changed();
    }

    /** The model ids {@code GET /v1/models} lists, or one entry saying why it could not be read. */
    private List<String> servedModels(LaunchPlan plan, String url) {
        try {
            EngineHttp http = EngineHttp.plain(plan.address(), url, keys.apply(plan), CONNECT, settings.probeTimeout());
            EngineHttp.Reply reply = EngineHttp.await(http.get("/v1/models", settings.probeTimeout()));
            List<String> ids = new ArrayList<>();
            JsonNode data = json.readTree(reply.body()).path("data");
            data.forEach(card -> ids.add(card.path("id").asText()));
            return ids;
        } catch (Exception e) {
            return List.of("(GET /v1/models failed: " + e.getMessage() + ")");
        }
    }

    @Override
    public void check(ModelRun run) {
        Replica r = run.replicas.get(0);
        if (run.stopping || (r.status != RunStatus.RUNNING && r.status != RunStatus.UNHEALTHY)
                || !r.probing.compareAndSet(false, true)) {
            return;
        }
        workers.execute(() -> {
            try {
                boolean ok = readiness.probe(r.baseUrl + probes.apply(run.plan.engineType()), "GET",
                        settings.probeTimeout());
                RunStatus next = ok ? RunStatus.RUNNING : RunStatus.UNHEALTHY;
                if (ok) {
                    registry.register(run.plan.address(), run.plan.modelName(), r.baseUrl, run.id, 0);
                } else {
                    registry.remove(run.plan.address(), run.plan.modelName(), r.baseUrl);
                }
                if (next != r.status && !run.stopping) {
                    r.status = next;
                    run.event(ok ? "server healthy again" : "server at " + r.baseUrl + " failed its health check");
                    run.changed();
                }
            } finally {
                r.probing.set(false);
            }
        });
    }

    @Override
    public void stop(ModelRun run) {
        run.stopping = true;
        registry.removeRun(run.id);
        run.replicas.forEach(r -> r.status = RunStatus.STOPPED);
    }

    @Override
    public void restore(ModelRun run, RunState state) {
        Replica r = run.replicas.get(0);
        r.baseUrl = run.plan.attachUrl();
        r.status = RunStatus.UNHEALTHY; // until the first health check, which runs now
        check(run);
        run.started.complete(null);
    }
}

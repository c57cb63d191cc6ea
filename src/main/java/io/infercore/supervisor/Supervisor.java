package io.infercore.supervisor;

import io.infercore.catalog.CatalogModel;
import io.infercore.config.InfercoreConfig;
import io.infercore.config.ModelDirectories;
import io.infercore.engine.EndpointRegistry;
import io.infercore.engine.llamacpp.LlamaCppEngine;
import io.infercore.engine.ollama.OllamaEngine;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.infercore.metrics.SupervisorMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The supervisor bean: starts, lists, stops and routes to model runs on every engine, checks
 * their health periodically, and at start-up re-adopts what the state file lists. The lifecycle
 * itself lives in plain classes ({@link RunTable} and the {@link RunDriver}s); this bean wires
 * them to the configuration, the engines and the scheduler.
 */
@ApplicationScoped
public class Supervisor {

    private static final Logger LOG = Logger.getLogger(Supervisor.class);
    /** How long start-up waits for the cluster's first listing of the runs before going on without it. */
    private static final Duration KUBERNETES_FIRST_LISTING = Duration.ofSeconds(10);

    @Inject
    InfercoreConfig config;
    @Inject
    ModelDirectories directories;
    @Inject
    EndpointRegistry registry;
    @Inject
    LaunchResolver resolver;
    @Inject
    LlamaCppEngine llamacpp;
    @Inject
    OllamaEngine ollama;
    @Inject
    SupervisorMetrics metrics;
    @Inject
    io.infercore.catalog.ModelCatalog catalog;

    private RunTable table;
    private ExecutorService workers;
    private ScheduledExecutorService timer;
    private BuiltinDriver builtin;
    /**
     * A {@link KubernetesDriver} with {@code supervisor.backend=kubernetes}, else null. Typed as the
     * interface and made by a static factory so that the process backend loads neither it nor any
     * Fabric8 class (checked with -Xlog:class+load on the packaged jar).
     */
    private RunDriver kubernetes;

    void onStart(@Observes StartupEvent event) {
        SupervisorSettings settings = SupervisorSettings.from(config.supervisor());
        AtomicInteger threads = new AtomicInteger();
        workers = Executors.newCachedThreadPool(r -> daemon(r, "supervisor-" + threads.incrementAndGet()));
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "supervisor-timer"));
        Path runsDir = directories.root().resolve("runs");
        String token = config.hfToken().filter(t -> !t.isBlank()).orElse(System.getenv("HF_TOKEN"));
        HubDownloader hub = new HubDownloader(hubEndpoint(), token, settings.stallTimeout());
        builtin = new BuiltinDriver(name -> name.equals(config.defaultEmbeddingModel()) ? java.util.Optional.of("ready")
                : llamacpp.status(name));
        Map<RunMode, RunDriver> drivers = new EnumMap<>(RunMode.class);
        drivers.put(RunMode.SPAWNED, new ProcessDriver(settings, engineCommands(), registry,
                GpuAllocator.fromEnvironment(System.getenv("CUDA_VISIBLE_DEVICES")), runsDir, workers, timer));
        drivers.put(RunMode.ATTACHED, new AttachDriver(settings, registry, workers));
        drivers.put(RunMode.OLLAMA, new OllamaDriver(ollama, settings, registry, workers));
        drivers.put(RunMode.EMBEDDED, new EmbeddedDriver(llamacpp, hub, directories.gguf(), settings, workers));
        drivers.put(RunMode.BUILTIN, builtin);
        if (kubernetesBackend()) {
            kubernetes = KubernetesDriver.create(config, settings, engineCommands(), registry);
            drivers.put(RunMode.KUBERNETES, kubernetes);
        }
        registry.prefixAffinity(config.supervisor().prefixAffinityChars(), config.supervisor().prefixAffinitySlack());
        table = new RunTable(new RunStateStore(runsDir.resolve("state.json")), drivers, registry, runsDir);
        table.onRestart(run -> metrics.restarted(run.plan.engineType()));
        addBuiltins();
        for (String problem : table.restore()) {
            LOG.error(problem);
        }
        if (kubernetes != null) {
            KubernetesDriver.open(kubernetes, table, KUBERNETES_FIRST_LISTING);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (table != null) {
            table.shutdown(config.supervisor().onShutdown() == InfercoreConfig.Supervisor.OnShutdown.STOP);
        }
        if (workers != null) {
            workers.shutdownNow();
            timer.shutdownNow();
        }
    }

    @Scheduled(every = "${infercore.supervisor.health_interval:10s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkHealth() {
        if (table != null) {
            table.checkHealth();
        }
    }

    /** Validates and starts a run; returns at once (status {@code starting}); {@code sink} gets its progress. */
    public RunView start(LaunchRequest request, LaunchProgress.Sink sink) {
        long begun = System.nanoTime();
        LaunchPlan resolved = resolver.resolve(request);
        boolean toCluster = resolved.mode() == RunMode.SPAWNED || resolved.mode() == RunMode.OLLAMA;
        LaunchPlan plan = kubernetes != null && toCluster ? resolved.withMode(RunMode.KUBERNETES) : resolved;
        ModelRun run = table.start(plan, sink);
        run.started.whenComplete((ready, failure) ->
                metrics.launched(plan.engineType(), System.nanoTime() - begun, failure == null));
        return run.view(registry);
    }

    /** Completes with the run's view once every replica is ready; fails with the start-up failure. */
    public CompletableFuture<RunView> whenStarted(String runId) {
        ModelRun run = require(runId);
        return run.started.thenApply(v -> run.view(registry));
    }

    public List<RunView> list() {
        return table.all().stream().peek(this::refresh).map(r -> r.view(registry)).toList();
    }

    /** A run as request routing sees it. */
    public record RunRoute(String runId, String engineType, String modelName, RunStatus status) {
    }

    /**
     * Every run's id, engine, model and status, without building views: {@code /v1} routes each
     * request by model name through this, and a {@link RunView} (replicas, redacted arguments
     * and log lines) costs far more than the routing needs.
     */
    public List<RunRoute> routes() {
        return table.all().stream().peek(this::refresh)
                .map(r -> new RunRoute(r.id, r.plan.engineType(), r.plan.modelName(), r.status())).toList();
    }

    public RunView get(String runId) {
        ModelRun run = require(runId);
        refresh(run);
        return run.view(registry);
    }

    /** Stops the run (SIGTERM, grace, SIGKILL of its process tree; unload for in-server models) and forgets it. */
    public RunView stop(String runId) {
        return table.stop(runId).view(registry);
    }

    /** The supervisor's events for the run and the last {@code lines} of each replica's engine output. */
    public RunLogs logs(String runId, int lines) {
        ModelRun run = require(runId);
        List<RunLogs.ReplicaLog> replicas = run.replicas.stream().map(r -> {
            EngineProcess p = r.process;
            return new RunLogs.ReplicaLog(r.index, p == null ? null : p.pid(), table.logs(run, r, lines));
        }).toList();
        List<String> events = run.events();
        return new RunLogs(run.id, events.subList(Math.max(0, events.size() - lines), events.size()), replicas);
    }

    /**
     * Where a request naming {@code run_id} goes: 404 for an unknown run, 503 while it is not
     * serving (starting, restarting, unhealthy, failed; the message says which and why).
     */
    public RunTarget resolve(String runId) {
        ModelRun run = require(runId);
        refresh(run);
        RunStatus status = run.status();
        if (status != RunStatus.RUNNING) {
            ErrorKind kind = status == RunStatus.STARTING || status == RunStatus.RESTARTING
                    ? ErrorKind.MODEL_LOADING : ErrorKind.ENGINE_UNAVAILABLE;
            throw new InfercoreException(kind, "run " + runId + " (" + run.plan.modelName() + " on "
                    + run.plan.engineType() + ") is " + status.label() + (run.reason == null ? "" : ": " + run.reason)
                    + "; retry once GET /api/v1/models/running shows it running");
        }
        return target(run);
    }

    /**
     * The run serving {@code modelName} on {@code engineType}, when a supervised run does: requests
     * that name the model instead of the run are held to the same catalog abilities and carry the
     * same defaults. Empty for models no run serves (attached servers' own models, the built-ins).
     */
    public java.util.Optional<RunTarget> byName(String engineType, String modelName) {
        if (table == null || engineType == null || modelName == null) {
            return java.util.Optional.empty();
        }
        return table.all().stream()
                .filter(r -> r.plan.mode() != RunMode.BUILTIN && engineType.equals(r.plan.engineType())
                        && modelName.equals(r.plan.modelName()))
                .findFirst().map(this::target);
    }

    private RunTarget target(ModelRun run) {
        List<String> abilities = catalog.find(run.plan.modelId()).map(CatalogModel::enforcedAbilities).orElse(null);
        boolean ollamaRun = run.plan.mode() == RunMode.OLLAMA
                || (run.plan.mode() == RunMode.KUBERNETES && OllamaEngine.TYPE.equals(run.plan.engineType()));
        Map<String, Object> defaults = ollamaRun && run.plan.engineArgs().get("num_ctx") != null
                ? Map.of("num_ctx", run.plan.engineArgs().get("num_ctx")) : Map.of();
        return new RunTarget(run.id, run.plan.engineType(), run.plan.modelName(), run.plan.enableThinking(),
                run.plan.modelId(), abilities, defaults);
    }

    private ModelRun require(String runId) {
        if (table == null) {
            throw new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, "the supervisor is still starting");
        }
        return table.get(runId).orElseThrow(() -> RunTable.unknown(runId));
    }

    private void refresh(ModelRun run) {
        if (run.plan.mode() == RunMode.BUILTIN) {
            builtin.check(run);
        }
    }

    /** The embedded default model and the embedded embedding model, listed like any other run. */
    private void addBuiltins() {
        if (config.llamacpp().loadOnStart()) {
            addBuiltin("builtin-default", CatalogModel.LLM, config.defaultModelName(), llamacpp.defaultModelPath().toString());
        }
        ModelRun embedding = new ModelRun("builtin-embedding", builtinPlan(CatalogModel.EMBEDDING,
                config.defaultEmbeddingModel(), "embedded ONNX model (in the jar)"), Instant.now());
        builtin.check(embedding);
        table.addBuiltin(embedding);
    }

    private void addBuiltin(String id, String type, String name, String source) {
        ModelRun run = new ModelRun(id, builtinPlan(type, name, source), Instant.now());
        builtin.check(run);
        table.addBuiltin(run);
    }

    private static LaunchPlan builtinPlan(String type, String name, String source) {
        return new LaunchPlan(LlamaCppEngine.TYPE, RunMode.BUILTIN, name, null, type, name, source, null, null,
                null, 0, 1, null, Map.of(), null);
    }

    private EngineCommands engineCommands() {
        Map<String, String> env = new java.util.LinkedHashMap<>(directories.childEnvironment());
        config.hfEndpoint().filter(u -> !u.isBlank()).ifPresent(u -> env.put("HF_ENDPOINT", u));
        return new EngineCommands(config.vllm().launchCommand(), config.sglang().launchCommand(),
                config.vllm().gpuMemoryUtilization(), config.sglang().memFractionStatic().orElse(null),
                directories.huggingFace(), env, config.vllm().apiKey().orElse(null),
                config.sglang().apiKey().orElse(null));
    }

    private boolean kubernetesBackend() {
        return config.supervisor().backend() == InfercoreConfig.Supervisor.Backend.KUBERNETES;
    }

    private String hubEndpoint() {
        return config.hfEndpoint().filter(u -> !u.isBlank())
                .orElseGet(() -> {
                    String env = System.getenv("HF_ENDPOINT");
                    return env == null || env.isBlank() ? "https://huggingface.co" : env;
                });
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

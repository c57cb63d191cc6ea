package io.infercore.supervisor;

import io.infercore.catalog.CatalogModel;
import io.infercore.config.InfercoreConfig;
import io.infercore.config.ModelDirectories;
import io.infercore.engine.EndpointRegistry;
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
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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
 * them to the configuration, the scheduler and the engines, which it knows only through their
 * {@link EngineLauncher}s (server commands, their own drivers, Pods, built-in models).
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
        Map<String, EngineLauncher> launchers = resolver.launchers();
        builtin = new BuiltinDriver(plan -> launchers.containsKey(plan.engineType())
                ? launchers.get(plan.engineType()).builtinStatus(plan.modelName()) : java.util.Optional.empty());
        Map<RunMode, RunDriver> drivers = new EnumMap<>(RunMode.class);
        EngineCommands commands = engineCommands(launchers.values());
        drivers.put(RunMode.SPAWNED, new ProcessDriver(settings, commands, registry,
                GpuAllocator.fromEnvironment(System.getenv("CUDA_VISIBLE_DEVICES")), runsDir, workers, timer));
        drivers.put(RunMode.ATTACHED, new AttachDriver(settings, registry, workers, commands::probePath, plan ->
                launchers.containsKey(plan.engineType()) ? launchers.get(plan.engineType()).attachKey(config, plan) : null));
        drivers.put(RunMode.BUILTIN, builtin);
        DriverContext context = new DriverContext(settings, registry, workers, hub, directories.gguf());
        Map<RunMode, Map<String, RunDriver>> own = new EnumMap<>(RunMode.class);
        for (EngineLauncher launcher : launchers.values()) {
            launcher.drivers(context).forEach((mode, driver) ->
                    own.computeIfAbsent(mode, m -> new LinkedHashMap<>()).put(launcher.type(), driver));
        }
        own.forEach((mode, byEngine) -> {
            if (drivers.containsKey(mode)) {
                throw new IllegalStateException("run mode " + mode + " is the supervisor's own; " + byEngine.keySet()
                        + " cannot bring a driver for it");
            }
            drivers.put(mode, new EngineDrivers(mode, byEngine));
        });
        if (kubernetesBackend()) {
            kubernetes = KubernetesDriver.create(config, settings, podTemplates(launchers.values()), registry);
            drivers.put(RunMode.KUBERNETES, kubernetes);
        }
        registry.prefixAffinity(config.supervisor().prefixAffinityChars(), config.supervisor().prefixAffinitySlack());
        table = new RunTable(new RunStateStore(runsDir.resolve("state.json")), drivers, registry, runsDir);
        table.onRestart(run -> metrics.restarted(run.plan.engineType()));
        addBuiltins(launchers.values());
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
        // Every run but one on a server someone else runs (attached, or on a named instance) goes to
        // the cluster, if its engine has Pods.
        boolean toCluster = kubernetes != null && resolved.mode() != RunMode.ATTACHED && resolved.instance() == null
                && KubernetesDriver.runsOnCluster(kubernetes, resolved.engineType());
        LaunchPlan plan = toCluster ? resolved.withMode(RunMode.KUBERNETES) : resolved;
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

    /** A run as request routing sees it; {@code engineType} is the run's address ({@code ollama:gpu2} on a named instance). */
    public record RunRoute(String runId, String engineType, String modelName, RunStatus status) {
    }

    /**
     * Every run's id, engine, model and status, without building views: {@code /v1} routes each
     * request by model name through this, and a {@link RunView} (replicas, redacted arguments
     * and log lines) costs far more than the routing needs.
     */
    public List<RunRoute> routes() {
        return table.all().stream().peek(this::refresh)
                .map(r -> new RunRoute(r.id, r.plan.address(), r.plan.modelName(), r.status())).toList();
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
                    + run.plan.address() + ") is " + status.label() + (run.reason == null ? "" : ": " + run.reason)
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
                .filter(r -> r.plan.mode() != RunMode.BUILTIN && engineType.equals(r.plan.address())
                        && modelName.equals(r.plan.modelName()))
                .findFirst().map(this::target);
    }

    private RunTarget target(ModelRun run) {
        List<String> abilities = catalog.find(run.plan.modelId()).map(CatalogModel::enforcedAbilities).orElse(null);
        EngineLauncher launcher = resolver.launchers().get(run.plan.engineType());
        Map<String, Object> defaults = launcher == null ? Map.of() : launcher.requestDefaults(run.plan);
        return new RunTarget(run.id, run.plan.address(), run.plan.modelName(), run.plan.enableThinking(),
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

    /** The models the engines load by themselves (the embedded default and embedding models), listed like any other run. */
    private void addBuiltins(Collection<EngineLauncher> launchers) {
        for (EngineLauncher launcher : launchers) {
            for (EngineLauncher.Builtin b : launcher.builtins()) {
                ModelRun run = new ModelRun(b.runId(), new LaunchPlan(launcher.type(), RunMode.BUILTIN, b.modelName(),
                        null, b.modelType(), b.modelName(), b.source(), null, null, null, 0, 1, null, Map.of(), null),
                        Instant.now());
                builtin.check(run);
                table.addBuiltin(run);
            }
        }
    }

    /** The server commands of the engines whose launchers spawn servers, with what every child shares. */
    private EngineCommands engineCommands(Collection<EngineLauncher> launchers) {
        Map<String, String> env = new LinkedHashMap<>(directories.childEnvironment());
        config.hfEndpoint().filter(u -> !u.isBlank()).ifPresent(u -> env.put("HF_ENDPOINT", u));
        Map<String, ServerCommand> servers = new LinkedHashMap<>();
        for (EngineLauncher launcher : launchers) {
            ServerCommand server = launcher.serverCommand(config);
            if (server != null) {
                servers.put(launcher.type(), server);
            }
        }
        return new EngineCommands(servers, directories.huggingFace(), env);
    }

    /** The Pods of the engines whose runs go to the cluster; the servers of Hugging Face checkpoints share podEnv. */
    private Map<String, PodTemplate> podTemplates(Collection<EngineLauncher> launchers) {
        InfercoreConfig.Kubernetes k = config.supervisor().kubernetes();
        Map<String, String> podEnv = new LinkedHashMap<>();
        podEnv.put("HUGGINGFACE_HUB_CACHE", k.modelsMountPath() + "/" + config.modelsSubdirHf());
        config.hfEndpoint().filter(u -> !u.isBlank()).ifPresent(u -> podEnv.put("HF_ENDPOINT", u));
        Map<String, PodTemplate> templates = new LinkedHashMap<>();
        for (EngineLauncher launcher : launchers) {
            PodTemplate template = launcher.podTemplate(config, podEnv);
            if (template != null) {
                templates.put(launcher.type(), template);
            }
        }
        return templates;
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

package io.infercore.supervisor;

import io.infercore.engine.EndpointRegistry;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs vLLM and SGLang servers as child processes: one process per replica on a free loopback
 * port, readiness through the engine's own probe, a crash noticed the moment the process exits,
 * health checks that restart a replica after {@code unhealthy_threshold} failed probes, restarts
 * with doubling back-off up to {@code restart_limit} per {@code restart_window}, and stop as
 * SIGTERM, grace, SIGKILL of the whole process tree. A replica is in the {@link EndpointRegistry}
 * exactly while it is {@code running}.
 *
 * <p>A first start that fails fails the whole run (a bad flag will not fix itself); a restart that
 * fails counts as one more restart.
 */
final class ProcessDriver implements RunDriver {

    private static final Logger LOG = Logger.getLogger(ProcessDriver.class);
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})%");

    private final SupervisorSettings settings;
    private final EngineCommands commands;
    private final EndpointRegistry registry;
    private final GpuAllocator gpus;
    private final Path runsDir;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Readiness readiness = new Readiness();
    private volatile boolean detached;

    ProcessDriver(SupervisorSettings settings, EngineCommands commands, EndpointRegistry registry, GpuAllocator gpus,
                  Path runsDir, ExecutorService workers, ScheduledExecutorService timer) {
        this.settings = settings;
        this.commands = commands;
        this.registry = registry;
        this.gpus = gpus;
        this.runsDir = runsDir;
        this.workers = workers;
        this.timer = timer;
    }

    @Override
    public ModelRun prepare(ModelRun run) {
        try {
            for (Replica r : run.replicas) {
                r.gpus = gpus.allocate(owner(run, r), run.plan.nGpu());
            }
            return run;
        } catch (RuntimeException e) {
            run.replicas.forEach(r -> gpus.release(owner(run, r)));
            throw e;
        }
    }

    @Override
    public void start(ModelRun run) {
        run.progress(LaunchProgress.LAUNCHING, "launching " + run.replicas.size() + " " + run.plan.engineType()
                + " server(s) for " + run.plan.modelSource(), 0.1, null, null);
        for (Replica r : run.replicas) {
            workers.execute(() -> launch(run, r, true));
        }
    }

    private void launch(ModelRun run, Replica r, boolean first) {
        if (inactive(run)) {
            return;
        }
        EngineProcess process;
        String shown = EngineCommands.display(commands.launchCommand(run.plan.engineType()));
        try {
            int port = freePort();
            List<String> argv = commands.command(run.plan, port, r.gpus.size());
            shown = EngineCommands.display(argv);
            process = EngineProcess.spawn(argv, commands.environment(run.plan, r.gpus), logFile(run, r), shown);
            synchronized (r) {
                r.port = port;
                r.baseUrl = "http://127.0.0.1:" + port;
                r.process = process;
                r.healthFailures = 0;
            }
        } catch (IOException | RuntimeException e) {
            failed(run, r, first, new LaunchFailure("cannot run `" + shown + "`: " + e.getMessage() + "; install "
                    + run.plan.engineType() + " or set " + run.plan.engineType() + ".launch_command", List.of()));
            return;
        }
        if (inactive(run)) { // stopped while we were spawning: stop() may not have seen this process
            process.terminate(settings.stopGrace());
            return;
        }
        run.event("replica " + r.index + ": started pid " + process.pid() + " on port " + r.port + ": " + shown);
        run.changed();
        watchExit(run, r, process);
        awaitReady(run, r, process, first);
    }

    private void awaitReady(ModelRun run, Replica r, EngineProcess process, boolean first) {
        String probe = EngineCommands.probePath(run.plan.engineType());
        if (first) {
            run.progress(LaunchProgress.LOADING, "replica " + r.index + " started (pid " + process.pid()
                    + "); waiting for GET " + probe + " to answer 200", 0.2, null, null);
        }
        int[] lines = {0};
        try {
            readiness.await(process, r.baseUrl, probe, settings, () -> inactive(run) || r.process != process,
                    line -> {
                        if (first) {
                            run.progress(LaunchProgress.LOADING, line, loadingFraction(line, ++lines[0]), null, null);
                        }
                    });
        } catch (LaunchFailure f) {
            process.terminate(settings.stopGrace());
            failed(run, r, first, f);
            return;
        }
        if (inactive(run) || r.process != process) {
            return;
        }
        process.rememberDescendants();
        // Routable before it counts as serving: once every replica serves (run.started completes,
        // a caller may pick a replica at once), every one of them is in the registry already.
        registry.register(run.plan.engineType(), run.plan.modelName(), r.baseUrl, run.id, r.index);
        synchronized (r) {
            r.status = RunStatus.RUNNING;
            r.healthFailures = 0;
            r.lastError = null;
        }
        if (run.replicas.stream().allMatch(Replica::serving)) {
            run.reason = null;
        }
        run.event("replica " + r.index + ": ready at " + r.baseUrl);
        run.changed();
        run.replicaReady();
    }

    /** Progress while loading: the engine's own percentage when the line has one, else a creeping estimate. */
    private static double loadingFraction(String line, int count) {
        Matcher m = PERCENT.matcher(line);
        if (m.find()) {
            return 0.2 + 0.75 * Math.min(100, Integer.parseInt(m.group(1))) / 100.0;
        }
        return 0.2 + 0.7 * (1 - 20.0 / (20.0 + count));
    }

    private void failed(ModelRun run, Replica r, boolean first, LaunchFailure failure) {
        if (inactive(run)) {
            return;
        }
        if (!first) {
            scheduleRestart(run, r, failure.getMessage());
            return;
        }
        synchronized (r) {
            r.status = RunStatus.FAILED;
            r.lastError = failure.getMessage();
        }
        run.reason = "replica " + r.index + " failed to start: " + failure.getMessage();
        run.event(run.reason);
        for (Replica other : run.replicas) { // a run starts whole or not at all
            if (other != r && other.status != RunStatus.FAILED) {
                EngineProcess p = other.process;
                other.process = null;
                other.status = RunStatus.FAILED;
                other.lastError = "stopped: replica " + r.index + " failed to start";
                registry.remove(run.plan.engineType(), run.plan.modelName(), other.baseUrl);
                if (p != null) {
                    workers.execute(() -> p.terminate(settings.stopGrace()));
                }
            }
        }
        run.replicas.forEach(x -> gpus.release(owner(run, x)));
        run.changed();
        run.startFailed(failure);
    }

    private void watchExit(ModelRun run, Replica r, EngineProcess process) {
        process.onExit().thenRunAsync(() -> crashed(run, r, process), workers);
    }

    /** A serving replica's process is gone: out of rotation at once, then restarted. */
    private void crashed(ModelRun run, Replica r, EngineProcess process) {
        synchronized (r) {
            if (inactive(run) || r.process != process
                    || (r.status != RunStatus.RUNNING && r.status != RunStatus.UNHEALTHY)) {
                return; // stopped on purpose, replaced, or still starting (the readiness wait reports it)
            }
            r.process = null;
        }
        registry.remove(run.plan.engineType(), run.plan.modelName(), r.baseUrl);
        int orphans = process.killOrphans();
        List<String> tail = process.tail(5);
        scheduleRestart(run, r, "replica " + r.index + " (pid " + process.pid() + ") " + process.exitDescription()
                + (orphans == 0 ? "" : "; killed " + orphans + " leftover child process(es) of it")
                + (tail.isEmpty() ? "" : "\nlast log lines:\n" + String.join("\n", tail)));
    }

    private void scheduleRestart(ModelRun run, Replica r, String reason) {
        Duration delay;
        synchronized (r) {
            long now = System.nanoTime();
            while (!r.recentRestarts.isEmpty() && now - r.recentRestarts.peekFirst() > settings.restartWindow().toNanos()) {
                r.recentRestarts.removeFirst();
            }
            if (r.recentRestarts.size() >= settings.restartLimit()) {
                r.status = RunStatus.FAILED;
                r.lastError = reason + "; gave up after " + settings.restartLimit() + " restarts within "
                        + settings.restartWindow().toMinutes() + " min";
                run.reason = "replica " + r.index + " failed: " + r.lastError;
                gpus.release(owner(run, r));
                run.event(run.reason);
                run.changed();
                return;
            }
            r.recentRestarts.addLast(now);
            run.restarted(r);
            r.status = RunStatus.RESTARTING;
            r.lastError = reason;
            delay = settings.backoff(r.recentRestarts.size());
        }
        run.event("replica " + r.index + ": " + reason.lines().findFirst().orElse(reason) + "; restart "
                + r.recentRestarts.size() + " of " + settings.restartLimit() + " in " + delay.toMillis() + " ms");
        run.changed();
        timer.schedule(() -> workers.execute(() -> launch(run, r, false)), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void check(ModelRun run) {
        for (Replica r : run.replicas) {
            if ((r.status == RunStatus.RUNNING || r.status == RunStatus.UNHEALTHY) && r.probing.compareAndSet(false, true)) {
                workers.execute(() -> {
                    try {
                        checkReplica(run, r);
                    } finally {
                        r.probing.set(false);
                    }
                });
            }
        }
    }

    private void checkReplica(ModelRun run, Replica r) {
        EngineProcess p = r.process;
        if (p == null || inactive(run)) {
            return;
        }
        if (!p.alive()) {
            crashed(run, r, p);
            return;
        }
        String probe = EngineCommands.probePath(run.plan.engineType());
        boolean ok = readiness.probe(r.baseUrl + probe, "GET", settings.probeTimeout());
        int failures;
        synchronized (r) {
            if (r.process != p || inactive(run)) {
                return;
            }
            if (ok) {
                p.rememberDescendants();
                r.healthFailures = 0;
                if (r.status == RunStatus.UNHEALTHY) {
                    r.status = RunStatus.RUNNING;
                    run.event("replica " + r.index + ": healthy again");
                    run.changed();
                }
                registry.register(run.plan.engineType(), run.plan.modelName(), r.baseUrl, run.id, r.index);
                return;
            }
            failures = ++r.healthFailures;
            if (r.status == RunStatus.RUNNING) {
                r.status = RunStatus.UNHEALTHY;
                registry.remove(run.plan.engineType(), run.plan.modelName(), r.baseUrl);
                run.event("replica " + r.index + ": GET " + probe + " failed; out of rotation");
                run.changed();
            }
            if (failures < settings.unhealthyThreshold()) {
                return;
            }
            r.process = null; // the exit that follows is ours, not a crash
        }
        p.terminate(settings.stopGrace());
        scheduleRestart(run, r, "GET " + probe + " failed " + failures + " times in a row");
    }

    @Override
    public void stop(ModelRun run) {
        run.stopping = true;
        registry.removeRun(run.id);
        List<CompletableFuture<Void>> stops = run.replicas.stream()
                .map(r -> r.process)
                .filter(p -> p != null)
                .map(p -> CompletableFuture.runAsync(() -> p.terminate(settings.stopGrace()), workers))
                .toList();
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(settings.stopGrace().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warnf("Run %s: not every process confirmed its exit: %s", run.id, e.toString());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Replica r : run.replicas) {
            r.status = RunStatus.STOPPED;
            gpus.release(owner(run, r));
            while (r.port != 0 && Readiness.accepts(r.port) && System.nanoTime() < deadline) {
                Readiness.sleep(Duration.ofMillis(50));
            }
        }
    }

    @Override
    public void restore(ModelRun run, RunState state) {
        for (ReplicaState rs : state.replicas()) {
            if (rs.index() < 0 || rs.index() >= run.replicas.size()) {
                continue;
            }
            Replica r = run.replicas.get(rs.index());
            r.gpus = rs.gpus() == null ? List.of() : rs.gpus();
            r.port = rs.port() == null ? 0 : rs.port();
            r.baseUrl = rs.baseUrl();
            r.restartCount = rs.restarts();
            var adopted = rs.pid() == null || rs.startedAt() == null ? java.util.Optional.<EngineProcess>empty()
                    : EngineProcess.adopt(rs.pid(), rs.startedAt(), logFile(run, r));
            if (adopted.isEmpty() && rs.status() == RunStatus.RESTARTING) { // was waiting out a back-off
                gpus.reserve(owner(run, r), r.gpus);
                r.status = RunStatus.RESTARTING;
                run.event("replica " + r.index + ": was restarting when the service stopped; launching it again");
                workers.execute(() -> launch(run, r, false));
                continue;
            }
            if (rs.status() == RunStatus.FAILED || adopted.isEmpty()) {
                r.status = RunStatus.FAILED;
                r.lastError = rs.status() == RunStatus.FAILED ? rs.lastError() : "the engine process "
                        + (rs.pid() == null ? "" : rs.pid() + " ") + "was gone when the service restarted";
                run.event("replica " + r.index + ": not re-adopted: " + r.lastError);
                continue;
            }
            EngineProcess p = adopted.get();
            gpus.reserve(owner(run, r), r.gpus);
            r.process = p;
            watchExit(run, r, p);
            boolean wasStarting = rs.status() == RunStatus.STARTING || rs.status() == RunStatus.RESTARTING;
            run.event("replica " + r.index + ": re-adopted pid " + p.pid() + " on port " + r.port);
            if (wasStarting && !Readiness.accepts(r.port)) {
                r.status = rs.status();
                workers.execute(() -> awaitReady(run, r, p, false));
            } else {
                r.status = RunStatus.RUNNING; // the next health check confirms it or takes it out of rotation
                registry.register(run.plan.engineType(), run.plan.modelName(), r.baseUrl, run.id, r.index);
                workers.execute(() -> checkReplica(run, r));
            }
        }
        if (run.replicas.stream().allMatch(r -> r.status == RunStatus.FAILED)) {
            run.reason = "no engine process of this run survived the service restart";
        }
        if (run.replicas.stream().anyMatch(Replica::serving)) {
            run.started.complete(null);
        }
    }

    @Override
    public List<String> logs(ModelRun run, Replica replica, int lines) {
        return EngineProcess.tail(logFile(run, replica), lines);
    }

    @Override
    public void detach() {
        detached = true;
    }

    private boolean inactive(ModelRun run) {
        return run.stopping || detached;
    }

    private Path logFile(ModelRun run, Replica r) {
        return runsDir.resolve(run.id).resolve("replica-" + r.index + ".log");
    }

    private static String owner(ModelRun run, Replica r) {
        return run.id + "/" + r.index;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.infercore.supervisor;

import io.infercore.engine.EndpointRegistry;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One run: a resolved {@link LaunchPlan}, its replicas, the supervisor's event log and the
 * listeners of its start. {@link #started} completes once every replica answered its readiness
 * probe, or fails with the first start-up failure.
 *
 * <p>Its public members are for the {@link RunDriver}s of engine packages; the run table and the
 * supervisor's own drivers use the rest.
 */
public final class ModelRun {

    private static final Logger LOG = Logger.getLogger(ModelRun.class);
    private static final int MAX_EVENTS = 200;

    public final String id;
    public final LaunchPlan plan;
    public final Instant createdAt;
    public final List<Replica> replicas;
    public final CompletableFuture<Void> started = new CompletableFuture<>();
    public volatile String reason;
    public volatile boolean stopping;
    volatile boolean stopped;
    /** Called after every change worth persisting. */
    volatile Runnable onChange = () -> { };
    /** Called after each restart of one of its replicas (counted by the service's metrics). */
    volatile Runnable onRestart = () -> { };

    private final Deque<String> events = new ArrayDeque<>();
    private final List<LaunchProgress.Sink> sinks = new CopyOnWriteArrayList<>();
    private double progress;

    ModelRun(String id, LaunchPlan plan, Instant createdAt) {
        this.id = id;
        this.plan = plan;
        this.createdAt = createdAt;
        List<Replica> list = new ArrayList<>();
        for (int i = 0; i < Math.max(1, plan.replicas()); i++) {
            list.add(new Replica(i));
        }
        this.replicas = List.copyOf(list);
    }

    /** The run's status from its replicas': serving if any replica serves. */
    public RunStatus status() {
        if (stopped) {
            return RunStatus.STOPPED;
        }
        for (RunStatus s : new RunStatus[] {RunStatus.RUNNING, RunStatus.RESTARTING, RunStatus.STARTING,
                RunStatus.UNHEALTHY, RunStatus.FAILED}) {
            if (replicas.stream().anyMatch(r -> r.status == s)) {
                return s;
            }
        }
        return RunStatus.STOPPED;
    }

    /** Records a supervisor event (also logged) in the run's bounded event log. */
    public void event(String message) {
        LOG.infof("run %s (%s %s): %s", id, plan.address(), plan.modelName(), message);
        synchronized (events) {
            events.addLast(Instant.now() + " " + message);
            while (events.size() > MAX_EVENTS) {
                events.removeFirst();
            }
        }
    }

    List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    void addSink(LaunchProgress.Sink sink) {
        sinks.add(sink);
    }

    /** Tells the start's listeners; {@code fraction} is overall (0-1) and never goes backwards. */
    public void progress(String stage, String message, double fraction, Long bytesDone, Long bytesTotal) {
        double value;
        synchronized (this) {
            progress = Math.max(progress, Math.min(1.0, fraction));
            value = progress;
        }
        LaunchProgress p = new LaunchProgress(id, stage, message, Math.round(value * 1000) / 1000.0, bytesDone, bytesTotal);
        for (LaunchProgress.Sink sink : sinks) {
            try {
                sink.accept(p);
            } catch (RuntimeException e) {
                sinks.remove(sink); // a listener that went away must not break the start
            }
        }
    }

    public void changed() {
        onChange.run();
    }

    /** Counts a restart of {@code replica}. */
    public void restarted(Replica replica) {
        replica.restartCount++;
        onRestart.run();
    }

    /** Completes {@link #started} when every replica serves. */
    public void replicaReady() {
        if (replicas.stream().allMatch(Replica::serving)) {
            sinks.clear();
            started.complete(null);
        }
    }

    public void startFailed(Throwable failure) {
        sinks.clear();
        started.completeExceptionally(failure);
    }

    RunState state() {
        return new RunState(id, plan, createdAt.toEpochMilli(), reason, replicas.stream().map(Replica::state).toList());
    }

    RunView view(EndpointRegistry registry) {
        List<RunView.ReplicaView> views = replicas.stream().map(r -> {
            EngineProcess p = r.process;
            return new RunView.ReplicaView(r.index, stopped ? RunStatus.STOPPED : r.status, p == null ? null : p.pid(),
                    r.port == 0 ? null : r.port, r.baseUrl, r.restartCount,
                    r.baseUrl == null ? 0 : registry.inFlight(r.baseUrl), r.gpus, r.lastError);
        }).toList();
        String baseUrl = replicas.stream().filter(Replica::serving).map(r -> r.baseUrl).filter(u -> u != null)
                .findFirst().orElse(plan.attachUrl());
        return new RunView(id, status(), reason, plan.address(), plan.instance(), plan.mode(), plan.modelId(), plan.size(),
                plan.modelType(), plan.modelName(), plan.modelSource(), plan.quantization(), plan.loadFormat(),
                plan.nGpu(), plan.replicas(), plan.enableThinking(), plan.engineArgs(), baseUrl, views, createdAt);
    }
}

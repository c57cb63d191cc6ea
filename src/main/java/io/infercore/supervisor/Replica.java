package io.infercore.supervisor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One instance of a run: for a launched engine, one server process on its own port and GPUs.
 * Mutable and shared between the launch, exit-watch and health-check threads; fields are
 * volatile and compound changes happen under the replica's monitor.
 */
public final class Replica {

    public final int index;
    public volatile RunStatus status = RunStatus.STARTING;
    volatile EngineProcess process;
    volatile int port;
    public volatile String baseUrl;
    public volatile String lastError;
    volatile List<String> gpus = List.of();
    volatile int healthFailures;
    volatile int restartCount;
    /** Start times (nanoTime) of restarts inside the restart window. */
    final Deque<Long> recentRestarts = new ArrayDeque<>();
    /** Set while a health probe of this replica runs, so slow probes never pile up. */
    public final AtomicBoolean probing = new AtomicBoolean();

    Replica(int index) {
        this.index = index;
    }

    public boolean serving() {
        return status == RunStatus.RUNNING;
    }

    ReplicaState state() {
        EngineProcess p = process;
        return new ReplicaState(index, status, p == null ? null : p.pid(), p == null ? null : p.startedAt(),
                port == 0 ? null : port, baseUrl, gpus, lastError, restartCount);
    }
}

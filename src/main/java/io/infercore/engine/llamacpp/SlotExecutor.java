package io.infercore.engine.llamacpp;

import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of one loaded model: as many as it has llama.cpp slots, fed first come,
 * first served from a bounded queue. Inference (JNI, blocking) runs only here, never on the
 * event loop. When the queue is full the request is refused at once with a 503 instead of
 * piling up latency for everyone.
 */
final class SlotExecutor {

    private final String modelName;
    private final int queueSize;
    private final ThreadPoolExecutor pool;

    SlotExecutor(String modelName, int slots, int queueSize) {
        this.modelName = modelName;
        this.queueSize = queueSize;
        AtomicInteger counter = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(slots, slots, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queueSize), true), r -> {
                    Thread t = new Thread(r, "llamacpp-" + modelName + "-" + counter.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    void submit(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            if (pool.isShutdown()) {
                throw new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE,
                        "Model '" + modelName + "' is being unloaded; retry on another model or later");
            }
            throw new InfercoreException(ErrorKind.OVERLOADED, "The embedded engine is busy: model '" + modelName
                    + "' already has " + queueSize + " requests waiting (llamacpp.queue_size); retry later");
        }
    }

    /** Requests accepted and waiting for a slot. */
    int queueDepth() {
        return pool.getQueue().size();
    }

    void shutdown() {
        pool.shutdownNow();
    }
}

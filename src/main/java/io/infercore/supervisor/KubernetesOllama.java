package io.infercore.supervisor;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Makes an Ollama run's model servable in each of its Pods the way the process backend does for a
 * local Ollama ({@link OllamaDriver}): once the Pod is Ready (its Ollama answers {@code GET /}),
 * the gateway pulls the model into it ({@code POST /api/pull}; the model store is on the shared
 * models volume, so only the first Pod downloads) and loads it ({@code keep_alive} -1). The Pod
 * is routed to only after both succeeded; until then its replica is starting, and a failure is
 * the replica's (and the run's) reason.
 *
 * <p>Why from the gateway rather than an init container or a {@code postStart} hook: the Ollama
 * CLI's pull is itself a call to a running {@code ollama serve}, so an init container would have
 * to start a second server just to pull; a hook holds the container back with no progress, its
 * failure is only an event and the kubelet kills the container for it. From here it is the same
 * call as on one host, its error text reaches the API, and a Pod that is replaced is prepared
 * again when the watch shows the new one Ready. Every gateway prepares the Pods it routes to:
 * after the first, the pull finds the model on disk and the load finds it loaded.
 */
final class KubernetesOllama {

    private static final Logger LOG = Logger.getLogger(KubernetesOllama.class);

    enum State { PREPARING, READY, FAILED }

    /** Where one Pod stands; {@code error} is set when FAILED. */
    record Prepared(State state, String error) {
    }

    private final Map<String, Prepared> pods = new ConcurrentHashMap<>();
    private final OllamaModelCalls calls = new OllamaModelCalls();
    private final ExecutorService workers;
    private final Duration timeout;

    /** @param timeout the longest a pull (a download) and a load may take: the start's budget */
    KubernetesOllama(ExecutorService workers, Duration timeout) {
        this.workers = workers;
        this.timeout = timeout;
    }

    /**
     * Where the Pod {@code pod} at {@code url} stands; the first call for a Pod starts pulling and
     * loading the run's model into it in the background, and {@code done} runs when that ends.
     */
    Prepared prepare(ModelRun run, String pod, String url, Runnable done) {
        String key = run.id + "/" + pod + "/" + url;
        Prepared now = pods.putIfAbsent(key, new Prepared(State.PREPARING, null));
        if (now != null) {
            return now;
        }
        run.event("Pod " + pod + " is Ready: pulling and loading " + run.plan.modelName() + " into its Ollama");
        try {
            workers.execute(() -> {
                Prepared result;
                try {
                    calls.pull(url, run.plan, timeout);
                    calls.load(url, run.plan, timeout);
                    result = new Prepared(State.READY, null);
                } catch (RuntimeException e) {
                    LOG.warnf("run %s: preparing Pod %s failed: %s", run.id, pod, e.getMessage());
                    result = new Prepared(State.FAILED, e.getMessage());
                }
                pods.replace(key, result);
                done.run();
            });
        } catch (RejectedExecutionException e) {
            pods.remove(key); // shutting down
        }
        return new Prepared(State.PREPARING, null);
    }

    /** Forgets the Pods of a run that is gone. */
    void forget(String runId) {
        pods.keySet().removeIf(k -> k.startsWith(runId + "/"));
    }
}

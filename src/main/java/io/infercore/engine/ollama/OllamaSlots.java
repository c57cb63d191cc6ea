package io.infercore.engine.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.engine.StreamEvent;
import io.infercore.engine.http.EngineHttp;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Gets back a model's generation slot that Ollama loses when a stream is cancelled.
 *
 * <p>Cancelling a stream closes its connection (see {@link EngineHttp}), which is how Ollama learns
 * that nobody listens any more and stops generating. But Ollama 0.17.4 (ollama/ollama#17131, still
 * open) hands each streamed token from the generating goroutine to the HTTP handler over an
 * unbuffered channel, and the handler leaves as soon as the client is gone: when a token was
 * already on its way, the generating goroutine blocks on that send forever while it holds the
 * runner's semaphore (one slot per {@code OLLAMA_NUM_PARALLEL}). With one slot, every later
 * generation of that model then waits without an answer until the model is unloaded, which with
 * {@code keep_alive} -1 is never. It is a race, rare on a quiet machine and more frequent under
 * CPU load, and no client behaviour avoids it (any disconnect can lose it).
 *
 * <p>So after every stream that ends by our cancelling it (a client that went away, a timeout),
 * the slot is checked: a one-token {@code /api/chat} that is not streamed (Ollama reads that
 * answer whole, so it cannot lose the race itself) must be answered within {@link #PROBE} (or the
 * first-token timeout when shorter). When it is not, while none of our own generations of that
 * model run on that server, the slot is lost: the model is unloaded ({@code keep_alive: 0}, which
 * replaces the runner and its semaphore) and the next request loads it again. New streams of that
 * model wait for the check, so none queues behind a lost slot. The probe carries the cancelled
 * request's {@code num_ctx} and {@code keep_alive}, so it never makes Ollama reload the model.
 */
final class OllamaSlots {

    private static final Logger LOG = Logger.getLogger(OllamaSlots.class);

    /** The longest wait for the probe; a loaded model answers one token far sooner. */
    static final Duration PROBE = Duration.ofSeconds(10);

    private final ObjectMapper mapper;
    /** The pending check of a server's model (base URL and model name), absent when none. */
    private final Map<String, Uni<Void>> checks = new ConcurrentHashMap<>();
    /** Our generations running per server and model. */
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

    OllamaSlots(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * {@code open}'s stream of {@code model} on {@code server}, started once any check of that
     * model's slot is over; checks the slot when the stream ends by cancellation or a timeout.
     */
    Multi<StreamEvent> guard(EngineHttp server, String model, OllamaOptions options,
                             Supplier<Multi<StreamEvent>> open) {
        String key = server.endpoint().baseUrl() + " " + OllamaEngine.normalize(model);
        return checks.getOrDefault(key, Uni.createFrom().voidItem()).onItem().transformToMulti(v -> {
            AtomicInteger count = running.computeIfAbsent(key, k -> new AtomicInteger());
            count.incrementAndGet();
            return open.get().onTermination().invoke((failure, cancelled) -> {
                count.decrementAndGet();
                if (cancelled || failure instanceof InfercoreException e && e.kind() == ErrorKind.UPSTREAM_TIMEOUT) {
                    check(key, server, model, options);
                }
            });
        });
    }

    private synchronized void check(String key, EngineHttp server, String model, OllamaOptions options) {
        Uni<Void> previous = checks.getOrDefault(key, Uni.createFrom().voidItem());
        Uni<Void> next = previous.chain(() -> probe(key, server, model, options))
                .onFailure().recoverWithNull().replaceWithVoid()
                .memoize().indefinitely();
        checks.put(key, next);
        next.subscribe().with(v -> checks.remove(key, next));
    }

    private Uni<Void> probe(String key, EngineHttp server, String model, OllamaOptions options) {
        Duration limit = server.endpoint().firstToken().compareTo(PROBE) < 0 ? server.endpoint().firstToken() : PROBE;
        return server.exchange(HttpMethod.POST, "/api/chat", probeBody(model, options), limit)
                .replaceWithVoid()
                .onFailure(OllamaSlots::isTimeout).recoverWithUni(t -> {
                    if (running.get(key).get() > 0) {
                        LOG.debugf("ollama at %s: no slot for model '%s' within %d ms, but our own generations of it run",
                                server.endpoint().baseUrl(), model, limit.toMillis());
                        return Uni.createFrom().voidItem();
                    }
                    LOG.warnf("ollama at %s kept the slot of model '%s' after a cancelled stream (no one-token answer within"
                            + " %d ms; ollama/ollama#17131): unloading the model so that later requests are answered",
                            server.endpoint().baseUrl(), model, limit.toMillis());
                    return server.send(HttpMethod.POST, "/api/generate", unloadBody(model), model).replaceWithVoid();
                });
    }

    private String probeBody(String model, OllamaOptions options) {
        Map<String, Object> probeOptions = new LinkedHashMap<>();
        probeOptions.put("num_predict", 1);
        if (options.numCtx() != null) {
            probeOptions.put("num_ctx", options.numCtx());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", OllamaEngine.normalize(model));
        body.put("messages", List.of(Map.of("role", "user", "content", ".")));
        body.put("stream", false);
        body.put("options", probeOptions);
        if (options.keepAlive() != null) {
            body.put("keep_alive", options.keepAlive());
        }
        return write(body);
    }

    private String unloadBody(String model) {
        return write(Map.of("model", OllamaEngine.normalize(model), "keep_alive", 0));
    }

    private String write(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean isTimeout(Throwable t) {
        return t instanceof InfercoreException e && e.kind() == ErrorKind.UPSTREAM_TIMEOUT;
    }
}

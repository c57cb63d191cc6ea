package io.infercore.engine.openai;

import io.infercore.engine.StreamEvent;
import io.infercore.engine.UpstreamErrors;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The per-engine timeouts applied to a generation: the first event must come within
 * {@code first_token} (servers send headers and a role chunk before the model has produced
 * anything, so the HTTP client's own timeout cannot measure this), and the whole generation must
 * end within {@code total}. A timeout cancels the upstream call (closing the connection) and
 * fails with a 504.
 */
public final class Deadlines {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "infercore-engine-deadlines");
        t.setDaemon(true);
        return t;
    });

    private Deadlines() {
    }

    /** {@code stream} bounded by the endpoint's first-token and total timeouts. */
    public static Multi<StreamEvent> guard(Multi<StreamEvent> stream, RemoteEndpoint endpoint) {
        return Multi.createFrom().emitter(emitter -> {
            AtomicBoolean started = new AtomicBoolean();
            AtomicReference<Cancellable> upstream = new AtomicReference<>();
            Runnable cancelUpstream = () -> {
                Cancellable c = upstream.getAndSet(null);
                if (c != null) {
                    c.cancel();
                }
            };
            ScheduledFuture<?> first = TIMER.schedule(() -> {
                if (!started.get()) {
                    cancelUpstream.run();
                    emitter.fail(timeout(endpoint, "no token within " + human(endpoint.firstToken()), "first_token"));
                }
            }, endpoint.firstToken().toMillis(), TimeUnit.MILLISECONDS);
            ScheduledFuture<?> total = TIMER.schedule(() -> {
                cancelUpstream.run();
                emitter.fail(timeout(endpoint, "the generation did not finish within " + human(endpoint.total()), "total"));
            }, endpoint.total().toMillis(), TimeUnit.MILLISECONDS);
            emitter.onTermination(() -> {
                first.cancel(false);
                total.cancel(false);
                cancelUpstream.run();
            });
            upstream.set(stream.subscribe().with(event -> {
                started.set(true);
                emitter.emit(event);
            }, emitter::fail, emitter::complete));
        });
    }

    /** {@code call} bounded by the endpoint's first-token timeout (the whole answer, when not streaming). */
    public static <T> Uni<T> guard(Uni<T> call, RemoteEndpoint endpoint) {
        return call.ifNoItem().after(endpoint.firstToken()).failWith(() ->
                timeout(endpoint, "no answer within " + human(endpoint.firstToken()), "first_token"));
    }

    static InfercoreException timeout(RemoteEndpoint endpoint, String what, String key) {
        InfercoreException e = UpstreamErrors.fromTransport(endpoint.engine(), endpoint.displayUrl(),
                new TimeoutException(what + " (" + endpoint.engine() + ".timeouts." + key + ")"));
        return e;
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}

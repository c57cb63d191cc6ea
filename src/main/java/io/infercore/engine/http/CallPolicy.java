package io.infercore.engine.http;

import io.infercore.engine.UpstreamErrors;
import io.infercore.engine.openai.RemoteEndpoint;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Timeouts, resends and circuit breaking of every call to one engine endpoint, in one place and
 * with one mechanism: Mutiny's operators ({@code ifNoItem().after()}, {@code onFailure().retry()},
 * {@code select().first(Duration)}), on Mutiny's shared scheduler. Settings come from the
 * engine's {@code timeouts.*} keys (see {@link io.infercore.config.InfercoreConfig.Timeouts}).
 *
 * <ul>
 *   <li>A whole answer must come within {@code first_token} (callers may pass a shorter limit,
 *       e.g. health probes); a stream must bring its first event within {@code first_token} and
 *       no later event may be further apart than that (a stalled engine), and it must end within
 *       {@code total}. A timeout cancels the call, which resets its connection, and fails with 504.</li>
 *   <li>Only a call that failed before the engine answered anything ({@link Unanswered}, one of the
 *       {@code error/} hierarchy's retriable failures) is sent again, at most {@code retries}
 *       times; a stream is never resent once its first byte has arrived, since what failed
 *       after an answer is an {@link InfercoreException} of another class.</li>
 *   <li>After {@code breaker_failures} consecutive unanswered calls the circuit opens: for
 *       {@code breaker_open} calls fail at once with the last failure (a 503 naming the engine,
 *       its URL and how to start it), without a connection attempt; then one call goes through,
 *       and its outcome closes or reopens the circuit.</li>
 * </ul>
 */
public final class CallPolicy {

    private final RemoteEndpoint endpoint;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile long openUntil;
    private volatile InfercoreException lastFailure;

    public CallPolicy(RemoteEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * A whole-answer call bounded by {@code timeout}, resent when unanswered, behind the breaker
     * when {@code breaker} (health probes are not: they must see the engine come back at once).
     */
    public <T> Uni<T> call(Supplier<Uni<T>> attempt, Duration timeout, String timeoutKey, boolean breaker) {
        return Uni.createFrom().deferred(() -> {
            InfercoreException open = breaker ? refusal() : null;
            if (open != null) {
                return Uni.createFrom().failure(open);
            }
            Uni<T> once = Uni.createFrom().<T>deferred(attempt::get)
                    .ifNoItem().after(timeout).failWith(() -> timeout("no answer within " + human(timeout), timeoutKey));
            return (endpoint.retries() <= 0 ? once : once.onFailure(CallPolicy::resendable).retry().atMost(endpoint.retries()))
                    .onItemOrFailure().invoke((item, failure) -> {
                        if (breaker) {
                            record(failure);
                        }
                    });
        });
    }

    /**
     * A stream bounded by {@code first_token} (first event and every gap) and, when {@code total}
     * is set, by {@code total}; resent only while nothing has arrived; behind the breaker.
     */
    public <T> Multi<T> stream(Supplier<Multi<T>> attempt, boolean total) {
        return Multi.createFrom().deferred(() -> {
            InfercoreException open = refusal();
            if (open != null) {
                return Multi.createFrom().failure(open);
            }
            AtomicBoolean ended = new AtomicBoolean();
            AtomicBoolean started = new AtomicBoolean();
            Multi<T> once = Multi.createFrom().<T>deferred(attempt::get)
                    .onItem().invoke(item -> {
                        if (!started.get()) {
                            started.set(true);
                            record(null); // answered: the circuit closes
                        }
                    });
            Multi<T> bounded = (endpoint.retries() <= 0 ? once
                    : once.onFailure(t -> !started.get() && resendable(t)).retry().atMost(endpoint.retries()))
                    .onFailure().invoke(this::record)
                    .onCompletion().invoke(() -> ended.set(true))
                    .ifNoItem().after(endpoint.firstToken()).failWith(() ->
                            timeout("no token within " + human(endpoint.firstToken()), "first_token"));
            if (!total) {
                return bounded;
            }
            return bounded.select().first(endpoint.total())
                    .onCompletion().switchTo(() -> ended.get() ? Multi.createFrom().empty()
                            : Multi.createFrom().failure(timeout("the generation did not finish within "
                            + human(endpoint.total()), "total")));
        });
    }

    /** Whether the circuit refuses calls now. */
    public boolean isOpen() {
        return System.nanoTime() - openUntil < 0 && lastFailure != null;
    }

    private InfercoreException refusal() {
        InfercoreException last = lastFailure;
        if (endpoint.breakerFailures() <= 0 || last == null || System.nanoTime() - openUntil >= 0) {
            return null;
        }
        return new InfercoreException(last.kind(), last.getMessage() + " (" + endpoint.engine()
                + " calls are refused for " + human(endpoint.breakerOpen()) + " after " + endpoint.breakerFailures()
                + " failed in a row; " + endpoint.engine() + ".timeouts.breaker_open)");
    }

    /**
     * Counts a call's outcome: {@code breaker_failures} unanswered calls in a row open the circuit,
     * and so does the first one let through after it was open; any answer closes it.
     */
    private void record(Throwable failure) {
        if (endpoint.breakerFailures() <= 0) {
            return;
        }
        if (failure instanceof Unanswered u) {
            if (lastFailure != null || failures.incrementAndGet() >= endpoint.breakerFailures()) {
                lastFailure = u;
                openUntil = System.nanoTime() + endpoint.breakerOpen().toNanos();
                failures.set(0);
            }
        } else if (failure == null || failure instanceof InfercoreException e && e.kind() != ErrorKind.UPSTREAM_TIMEOUT) {
            if (failures.get() != 0) {
                failures.set(0);
            }
            if (lastFailure != null) {
                lastFailure = null;
            }
        }
    }

    /** A failure before any answer, of a retriable kind other than a timeout (whose wait would double). */
    static boolean resendable(Throwable failure) {
        return failure instanceof Unanswered u && u.retriable() && u.kind() != ErrorKind.UPSTREAM_TIMEOUT;
    }

    InfercoreException timeout(String what, String key) {
        return UpstreamErrors.fromTransport(endpoint.engine(), endpoint.displayUrl(),
                new TimeoutException(what + " (" + endpoint.engine() + ".timeouts." + key + ")"));
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /**
     * A call that failed before the engine answered anything: the connection was refused, reset or
     * closed before a status line arrived. Such a request never reached the engine's handler, so it
     * may be sent again (see {@link CallPolicy}).
     */
    public static final class Unanswered extends InfercoreException {
        Unanswered(InfercoreException mapped) {
            super(mapped.kind(), mapped.getMessage(), mapped.param(), mapped.getCause());
        }
    }
}

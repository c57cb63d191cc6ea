package io.infercore.metrics;

import jakarta.ws.rs.container.ContainerRequestContext;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ObjIntConsumer;

/**
 * The measurements of one inference request, shared by the HTTP layer (which knows the route,
 * the status and when the response is written) and the inference service (which knows the
 * engine, the model and when it is waiting on the engine).
 *
 * <p>Engine time is the sum of the intervals during which the service waited on an engine call
 * (model resolution, a generation, a stream from its subscription to its end, an embedding),
 * including the interval still open when it is read. {@link #overheadMillis()} is the time since
 * the request arrived minus that engine time: the service's own work (parsing, validation,
 * routing, serialisation) plus any time waiting for a worker.
 */
public final class RequestProbe {

    static final String PROPERTY = "infercore.metrics.probe";
    static final String NONE = "none";

    private final String route;
    private final ObjIntConsumer<RequestProbe> recorder;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final long startNanos = System.nanoTime();
    private volatile String engine = NONE;
    private volatile String model;
    private long engineNanos;
    private long openSince;
    private int open;

    RequestProbe(String route, ObjIntConsumer<RequestProbe> recorder) {
        this.route = route;
        this.recorder = recorder;
    }

    /** The probe the metrics filter attached to this request, or a detached one (nothing reads it). */
    public static RequestProbe of(ContainerRequestContext request) {
        Object probe = request == null ? null : request.getProperty(PROPERTY);
        return probe instanceof RequestProbe p ? p : detached();
    }

    /** A probe for calls that are not HTTP requests (the SDK, the CLI): measured, never recorded. */
    public static RequestProbe detached() {
        return new RequestProbe(null, (probe, status) -> { });
    }

    /** The engine that serves the request, once routing chose it. */
    public void engine(String engineType) {
        this.engine = engineType;
    }

    /** The model that serves the request, once the engine resolved it. */
    public void model(String modelName) {
        this.model = modelName;
    }

    /** Marks the start of a wait on the engine; pass the result to {@link #engineEnded}. */
    synchronized long engineStarted() {
        long now = System.nanoTime();
        if (open++ == 0) {
            openSince = now;
        }
        return now;
    }

    /** Ends a wait started by {@link #engineStarted}; overlapping waits count once. */
    synchronized void engineEnded() {
        if (open == 0) {
            return;
        }
        if (--open == 0) {
            engineNanos += System.nanoTime() - openSince;
        }
    }

    /** Records the request's meters with {@code status}, once: the first call wins. */
    void finish(int status) {
        if (finished.compareAndSet(false, true)) {
            recorder.accept(this, status);
        }
    }

    /**
     * The engine stream was cancelled from downstream, which only a client that went away does:
     * an aborted stream never ends its HTTP response, so this is where it gets counted.
     */
    void clientGone() {
        finish(RequestMetricsFilter.CLIENT_CLOSED);
    }

    synchronized long engineNanos() {
        return engineNanos + (open > 0 ? System.nanoTime() - openSince : 0);
    }

    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** Service time so far minus engine time so far, never negative. */
    long overheadNanos() {
        long engineTime = engineNanos();
        return Math.max(0, elapsedNanos() - engineTime);
    }

    /** {@link #overheadNanos()} as the header writes it: milliseconds with three decimals. */
    public String overheadMillis() {
        return millis(overheadNanos());
    }

    /**
     * Non-negative nanoseconds as milliseconds with three decimals ({@code 1234567} to
     * {@code "1.235"}), rounded half up. Written by hand: {@code String.format} cost ~4 % of a request's CPU at saturation (JFR).
     */
    static String millis(long nanos) {
        long micros = (Math.max(0, nanos) + 500) / 1000;
        StringBuilder text = new StringBuilder(12);
        long fraction = micros % 1000;
        text.append(micros / 1000).append('.');
        if (fraction < 100) {
            text.append(fraction < 10 ? "00" : "0");
        }
        return text.append(fraction).toString();
    }

    String route() {
        return route;
    }

    String engine() {
        return engine;
    }

    String model() {
        return model;
    }
}

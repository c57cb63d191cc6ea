package io.infercore.engine;

import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.InstanceHandle;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * The seed's FAQ table, made exact: how a remote engine's failure reaches the user. Every
 * adapter sends its failures through here, so the same fault means the same status and the
 * same kind of hint on every engine.
 *
 * <ul>
 *   <li>unreachable → 503 naming the engine, the URL and how to start it;</li>
 *   <li>model missing → 404 with the fix;</li>
 *   <li>context overflow → 400 with the engine's numbers;</li>
 *   <li>other 4xx → 400 (404 stays 404) with the upstream reason;</li>
 *   <li>5xx → 502; timeouts → 504.</li>
 * </ul>
 */
public final class UpstreamErrors {

    private UpstreamErrors() {
    }

    /** An HTTP error status with the message the engine put in its error body. */
    public static InfercoreException fromStatus(String engine, String baseUrl, String model, int status, String upstreamMessage) {
        String reason = upstreamMessage == null || upstreamMessage.isBlank() ? "HTTP " + status : upstreamMessage.strip();
        String lower = reason.toLowerCase(Locale.ROOT);
        if (isContextOverflow(lower)) {
            return new InfercoreException(ErrorKind.CONTEXT_OVERFLOW, engine + " refused the request: the prompt does not fit "
                    + "the model's context (" + reason + ")", "max_tokens", null);
        }
        if (status == 404 || (status == 400 && lower.contains("not found") && lower.contains("model"))) {
            return InfercoreException.modelNotFound(engine + " does not serve model '" + model + "' (" + reason + "); "
                    + missingModelHint(engine, model));
        }
        if (status == 401 || status == 403) {
            return new InfercoreException(ErrorKind.UPSTREAM_ERROR, engine + " at " + baseUrl + " refused our credentials (HTTP "
                    + status + "); check the configured api_key");
        }
        if (status == 429) {
            return new InfercoreException(ErrorKind.RATE_LIMITED, engine + " is rate limiting: " + reason);
        }
        if (status == 503) {
            return new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, engine + " at " + baseUrl + " is not ready: " + reason);
        }
        if (status >= 400 && status < 500) {
            return new InfercoreException(ErrorKind.INVALID_REQUEST, engine + " rejected the request: " + reason);
        }
        return new InfercoreException(ErrorKind.UPSTREAM_ERROR, engine + " failed (HTTP " + status + "): " + reason);
    }

    /** An error the engine reported inside a stream that had already started (status 200). */
    public static InfercoreException inStream(String engine, String model, String upstreamMessage) {
        String lower = upstreamMessage == null ? "" : upstreamMessage.toLowerCase(Locale.ROOT);
        if (isContextOverflow(lower)) {
            return fromStatus(engine, "", model, 400, upstreamMessage);
        }
        if (lower.contains("not found") && lower.contains("model")) {
            return fromStatus(engine, "", model, 404, upstreamMessage);
        }
        return new InfercoreException(ErrorKind.UPSTREAM_ERROR, engine + " failed during generation: " + upstreamMessage);
    }

    /** A transport failure: refused connection, unknown host, timeout, or anything else on the wire. */
    public static InfercoreException fromTransport(String engine, String baseUrl, Throwable failure) {
        Throwable cause = transportCause(failure);
        if (cause instanceof InfercoreException e) {
            return e;
        }
        if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException
                || cause instanceof UnresolvedAddressException || cause instanceof java.net.UnknownHostException
                || (cause.getMessage() != null && cause.getMessage().toLowerCase(Locale.ROOT).contains("connection refused"))) {
            return new InfercoreException(ErrorKind.ENGINE_UNAVAILABLE, engine + " is not reachable at " + baseUrl + "; "
                    + startHint(engine), null, failure);
        }
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException
                || cause instanceof SocketTimeoutException
                || (cause.getMessage() != null && cause.getMessage().toLowerCase(Locale.ROOT).contains("timeout"))) {
            return new InfercoreException(ErrorKind.UPSTREAM_TIMEOUT, engine + " at " + baseUrl
                    + " did not answer in time (" + cause.getMessage() + "); raise " + engine + ".timeouts if the model is slow");
        }
        return new InfercoreException(ErrorKind.UPSTREAM_ERROR, engine + " at " + baseUrl + " failed: "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), null, failure);
    }

    /**
     * Whether {@code failure} (or what it wraps, see {@link #fromTransport}) is a refused or reset
     * connection, or one the server closed before answering: the engine's process is gone (a Pod
     * that died), as opposed to an engine that answered with an error or is slow.
     */
    public static boolean connectionLost(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (c instanceof ConnectException || c.getClass().getName().equals("io.vertx.core.http.HttpClosedException")
                    || (c instanceof java.io.IOException && (m.contains("connection reset") || m.contains("connection refused")
                    || m.contains("broken pipe")))) {
                return true;
            }
        }
        return false;
    }

    static boolean isContextOverflow(String lowerMessage) {
        return lowerMessage.contains("maximum context length") || lowerMessage.contains("context length")
                && (lowerMessage.contains("longer than") || lowerMessage.contains("exceed"))
                || lowerMessage.contains("exceeds the available context size")
                || lowerMessage.contains("input length exceeds");
    }

    /** The engine's own advice for getting it running ({@link EngineProvider#startHint()}). */
    public static String startHint(String engine) {
        return provider(engine).startHint();
    }

    static String missingModelHint(String engine, String model) {
        return provider(engine).missingModelHint(model);
    }

    /**
     * The engine's provider from the running application's registry. Failures are built in static
     * code deep inside adapters, so the registry is looked up rather than passed down; outside a
     * container (an adapter built by hand in a unit test) the defaults of {@link EngineProvider} apply.
     */
    private static EngineProvider provider(String engine) {
        ArcContainer container = Arc.container();
        if (container != null && container.isRunning()) {
            InstanceHandle<EngineRegistry> registry = container.instance(EngineRegistry.class);
            if (registry.isAvailable()) {
                return registry.get().provider(engine);
            }
        }
        return () -> engine;
    }

    /**
     * The link of the cause chain to classify: the first recognised transport failure (the JDK
     * client wraps its ConnectException around a ClosedChannelException, so the root alone
     * would hide it), else the root.
     */
    private static Throwable transportCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InfercoreException || c instanceof ConnectException || c instanceof HttpTimeoutException
                    || c instanceof UnresolvedAddressException || c instanceof java.net.UnknownHostException
                    || c instanceof TimeoutException || c instanceof SocketTimeoutException) {
                return c;
            }
        }
        return root(t);
    }

    private static Throwable root(Throwable t) {
        Throwable current = t;
        while (current.getCause() != null && current.getCause() != current && !(current instanceof InfercoreException)) {
            current = current.getCause();
        }
        return current;
    }
}

package io.infercore.supervisor;

import io.infercore.engine.http.EngineHttp;
import io.infercore.error.InfercoreException;
import io.vertx.core.http.HttpMethod;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Probes an engine's own readiness signal (vLLM {@code GET /health}, SGLang
 * {@code GET /health_generate}, Ollama {@code HEAD /}) and waits for a starting engine the way
 * Ollama's scheduler does: no fixed deadline, but a stall timeout that every new log line resets
 * (downloads and weight loading print progress), under a hard start-up limit. Lines about our own
 * probes are not progress: an engine that answers 503 forever and logs each probe is stalled.
 * Probes go through the one transport ({@link EngineHttp}) and block their worker thread.
 */
final class Readiness {

    private static final int TAIL_LINES = 30;

    /** How long a probe may take to connect (what the JDK probe client of before allowed). */
    private static final Duration PROBE_CONNECT = Duration.ofSeconds(2);

    /**
     * True when {@code method url} answers 200 within {@code timeout}. Redirects are not followed
     * (a 3xx is not ready); a refused connection (a server still loading) or a timeout is false.
     * Blocks: worker threads only.
     */
    boolean probe(String url, String method, Duration timeout) {
        try {
            URI target = URI.create(url);
            if (target.getScheme() == null || target.getRawAuthority() == null) {
                return false;
            }
            String path = (target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath())
                    + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
            EngineHttp http = EngineHttp.plain("engine", target.getScheme() + "://" + target.getRawAuthority(), null,
                    PROBE_CONNECT, timeout);
            return EngineHttp.await(http.exchange(HttpMethod.valueOf(method), path, null, timeout)).statusCode() == 200;
        } catch (InfercoreException | IllegalArgumentException | CancellationException e) {
            return false; // not answering, not a URL, or interrupted (the flag stays set)
        }
    }

    /** Whether anything accepts connections on {@code port} of the loopback interface. */
    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Blocks until {@code process} answers {@code probePath} at {@code baseUrl} with 200. Fails
     * with a {@link LaunchFailure} carrying the log tail when the process exits, stalls or runs
     * past the start-up limit (the process is then left for the caller to terminate), or returns
     * quietly when {@code cancelled} turns true.
     *
     * @param progress receives each new log line that is not about our probes
     */
    void await(EngineProcess process, String baseUrl, String probePath, SupervisorSettings settings,
               BooleanSupplier cancelled, Consumer<String> progress) {
        EngineProcess.LogCursor cursor = new EngineProcess.LogCursor(process.log());
        long start = System.nanoTime();
        long lastProgress = start;
        while (!cancelled.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
            boolean alive = process.alive();
            if (alive && probe(baseUrl + probePath, "GET", settings.probeTimeout())) {
                return;
            }
            boolean output = false;
            for (String line : cursor.newLines()) {
                if (!line.contains(probePath) && !line.startsWith("=== infercore")) {
                    lastProgress = System.nanoTime();
                    progress.accept(line);
                    output = true;
                }
            }
            if (!alive) {
                throw failure("the engine process " + process.exitDescription() + " before it was ready", process);
            }
            long now = System.nanoTime();
            if (now - lastProgress > settings.stallTimeout().toNanos()) {
                throw failure("the engine made no progress for " + settings.stallTimeout().toSeconds()
                        + " s (no new log output, " + probePath + " not answering 200): stalled", process);
            }
            if (now - start > settings.startupTimeout().toNanos()) {
                throw failure("the engine was not ready within the start-up limit of "
                        + settings.startupTimeout().toMinutes() + " min", process);
            }
            sleep(output && settings.pollInterval().compareTo(SupervisorSettings.POLL_AFTER_OUTPUT) > 0
                    ? SupervisorSettings.POLL_AFTER_OUTPUT : settings.pollInterval());
        }
    }

    private static LaunchFailure failure(String reason, EngineProcess process) {
        List<String> tail = process.tail(TAIL_LINES).stream().filter(l -> !l.startsWith("=== infercore")).toList();
        return new LaunchFailure(reason, tail);
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

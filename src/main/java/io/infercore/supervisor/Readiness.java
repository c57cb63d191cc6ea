package io.infercore.supervisor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Probes an engine's own readiness signal (vLLM {@code GET /health}, SGLang
 * {@code GET /health_generate}, Ollama {@code HEAD /}) and waits for a starting engine the way
 * Ollama's scheduler does: no fixed deadline, but a stall timeout that every new log line resets
 * (downloads and weight loading print progress), under a hard start-up limit. Lines about our own
 * probes are not progress: an engine that answers 503 forever and logs each probe is stalled.
 */
final class Readiness {

    private static final int TAIL_LINES = 30;

    /**
     * One probe client for all drivers, built at the first probe: building a JDK client sets up
     * TLS defaults, which showed in a JFR profile of the service's start-up (once per driver, when
     * each driver had its own), and a service that never launches an engine never needs it.
     */
    private static final class Probes {
        static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** True when {@code method url} answers 200 within {@code timeout}. */
    boolean probe(String url, String method, Duration timeout) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            return Probes.HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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

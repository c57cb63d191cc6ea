package io.infercore.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One protocol-faithful fake engine ({@code src/test/fakes}) running as a child process on a free
 * loopback port, the way the supervisor runs real engines. Start with {@link #vllm}, {@link #sglang}
 * or {@link #ollama}; {@link #close()} sends SIGTERM, then SIGKILL after a second.
 *
 * <p>Fault knobs ({@link #setKnob}, {@link #resetKnobs}) and counters ({@link #stats}) use the
 * fakes' {@code /_fake/*} control API, which is never faulted itself.
 */
public final class FakeEngineProcess implements AutoCloseable {

    private static final Path FAKES = Path.of("src/test/fakes");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_LIMIT = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private JsonNode initialKnobs;

    private FakeEngineProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** {@code vllm serve <model>} of the fake vLLM 0.11 server ({@code --fake-protocol 0.10.0} for the flat envelope). */
    public static FakeEngineProcess vllm(String model, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of("python3", FAKES.resolve("vllm").toString(), "serve", model,
                "--host", "127.0.0.1"));
        command.addAll(List.of(extraArgs));
        return start("vllm", command);
    }

    /** {@code python -m sglang.launch_server --model-path <path>} of the fake SGLang 0.5 server. */
    public static FakeEngineProcess sglang(String modelPath, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of("python3", FAKES.resolve("sglang_launch_server.py").toString(),
                "--model-path", modelPath, "--host", "127.0.0.1"));
        command.addAll(List.of(extraArgs));
        return start("sglang", command);
    }

    /** {@code ollama serve} of the fake Ollama 0.12 server, with these models installed (comma-separated). */
    public static FakeEngineProcess ollama(String models, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of("python3", FAKES.resolve("fake_ollama.py").toString(), "serve",
                "--host", "127.0.0.1", "--models", models));
        command.addAll(List.of(extraArgs));
        return start("ollama", command);
    }

    /** Starts {@code command} plus {@code --port <free port>} and waits until the port accepts connections. */
    public static FakeEngineProcess start(String name, List<String> command) {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            List<String> full = new ArrayList<>(command);
            full.addAll(List.of("--port", String.valueOf(port)));
            try {
                Path log = Files.createTempFile("fake-" + name + "-", ".log");
                Process process = new ProcessBuilder(full).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                FakeEngineProcess fake = new FakeEngineProcess(name, process, log, port);
                if (fake.awaitStart()) {
                    fake.initialKnobs = fake.call("GET", "/_fake/config", null);
                    return fake;
                }
                last = new IOException("fake " + name + " exited with " + process.exitValue() + ": " + fake.logTail());
            } catch (IOException e) {
                last = e;
            }
        }
        throw new UncheckedIOException("cannot start fake " + name, last);
    }

    /** A loopback port that nothing listens on (for "engine unreachable" cases). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean awaitStart() throws IOException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        close();
        throw new IOException("fake " + name + " did not listen on port " + port + " within " + START_LIMIT + ": " + logTail());
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code GET /_fake/stats}: requests per path, {@code cancelled}, {@code disconnected}, {@code last_request}, ... */
    public JsonNode stats() {
        return call("GET", "/_fake/stats", null);
    }

    /** The last JSON body the fake received on {@code path}. */
    public JsonNode lastRequest(String path) {
        return stats().path("last_request").path(path);
    }

    public void resetStats() {
        call("POST", "/_fake/reset", Map.of());
    }

    public void setKnob(String knob, Object value) {
        setKnobs(java.util.Collections.singletonMap(knob, value));
    }

    public void setKnobs(Map<String, Object> knobs) {
        call("POST", "/_fake/config", knobs);
    }

    /** Back to the knobs the fake started with. */
    public void resetKnobs() {
        call("POST", "/_fake/config", initialKnobs);
    }

    /**
     * Simulates an engine restart: the fake closes its listener (connections are refused) for
     * {@code seconds}, then listens again. {@link #awaitListening()} waits for it to be back.
     */
    public void restartFor(double seconds) {
        call("POST", "/_fake/reload", Map.of("load_seconds", seconds));
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline && accepts()) {
            sleep(10);
        }
    }

    /** Waits (bounded) until the port accepts connections again; false if the process died. */
    public boolean awaitListening() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (accepts()) {
                return true;
            }
            sleep(20);
        }
        return false;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The last lines of the fake's own log (stdout and stderr). */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private JsonNode call(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .timeout(Duration.ofSeconds(5));
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("fake " + name + " " + method + " " + path + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.infercore.engine.ollama;

import io.infercore.support.FakeEngineProcess;
import io.infercore.support.TestModel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Starts a real {@code ollama serve} on a free loopback port with its own {@code OLLAMA_MODELS},
 * through {@code scripts/ollama-with-test-model.sh}, and creates {@value #MODEL} from the shared
 * stories260K GGUF ({@code test-model.path}). The binary is {@code $INFERCORE_OLLAMA_BIN}, else
 * the one {@code scripts/build-ollama.sh} caches; with neither, {@link #available()} is false and
 * the tests skip. A failure to start when a binary exists fails the tests.
 */
public class RealOllamaResource implements QuarkusTestResourceLifecycleManager {

    public static final String MODEL = "stories260k";
    private static final Path SCRIPTS = Path.of("scripts");

    private static volatile boolean available;
    private static volatile Path modelsDir;

    /** Whether a real Ollama server was started for this run. */
    public static boolean available() {
        return available;
    }

    /** The real server's log (its GIN access lines show how long each request ran). */
    public static Path log() {
        return modelsDir.resolve("ollama.log");
    }

    @Override
    public Map<String, String> start() {
        Optional<String> binary = binary();
        if (binary.isEmpty()) {
            available = false;
            return Map.of("infercore.ollama.base_url", "http://127.0.0.1:" + FakeEngineProcess.freePort(),
                    "smallrye.config.mapping.validate-unknown", "false");
        }
        try {
            modelsDir = Files.createTempDirectory("infercore-ollama-it-");
            int port = FakeEngineProcess.freePort();
            ProcessBuilder builder = new ProcessBuilder("bash", SCRIPTS.resolve("ollama-with-test-model.sh").toString(),
                    String.valueOf(port), modelsDir.toString(), TestModel.pathString(), MODEL)
                    .redirectErrorStream(true).redirectOutput(modelsDir.resolve("start.log").toFile());
            builder.environment().put("OLLAMA_BIN", binary.get());
            Process script = builder.start();
            if (!script.waitFor(10, TimeUnit.MINUTES) || script.exitValue() != 0) {
                script.destroyForcibly();
                throw new IllegalStateException("ollama-with-test-model.sh failed: "
                        + Files.readString(modelsDir.resolve("start.log"), StandardCharsets.UTF_8));
            }
            available = true;
            return Map.of("infercore.ollama.base_url", "http://127.0.0.1:" + port,
                    "infercore.ollama.timeouts.first_token", "60s",
                    "infercore.ollama.timeouts.total", "120s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code $INFERCORE_OLLAMA_BIN}, else build-ollama.sh's cached binary for its pinned version. */
    static Optional<String> binary() {
        String env = System.getenv("INFERCORE_OLLAMA_BIN");
        if (env != null && !env.isBlank()) {
            return Optional.of(env);
        }
        try {
            Matcher version = Pattern.compile("(?m)^OLLAMA_VERSION=\"([^\"]+)\"")
                    .matcher(Files.readString(SCRIPTS.resolve("build-ollama.sh")));
            String cacheRoot = Optional.ofNullable(System.getenv("INFERCORE_CACHE"))
                    .orElse(System.getProperty("user.home") + "/.cache/infercore");
            if (version.find()) {
                Path cached = Path.of(cacheRoot, "ollama", version.group(1), "ollama");
                if (Files.isExecutable(cached)) {
                    return Optional.of(cached.toString());
                }
            }
        } catch (IOException noScript) {
            // no build script: no cached binary either
        }
        return Optional.empty();
    }

    @Override
    public void stop() {
        if (modelsDir == null) {
            return;
        }
        try {
            Path pidFile = modelsDir.resolve("ollama.pid");
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid).ifPresent(server -> {
                    server.destroy(); // SIGTERM; ollama stops its runner child too
                    try {
                        server.onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception slow) {
                        server.destroyForcibly();
                    }
                });
            }
            try (Stream<Path> files = Files.walk(modelsDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.infercore.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.support.TestModel;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The service the browser tests drive: the embedded stories260K model (the test defaults);
 * vLLM launches served by the fake {@code src/test/fakes/vllm} (it refuses connections for
 * FAKE_LOAD_SECONDS while "loading", then streams FAKE_TOKEN_DELAY_MS apart); and the built-in
 * catalog plus {@value #TINY}, a GGUF the embedded engine downloads from {@link SlowHub}. Runs
 * and downloads live in a fresh folder of the build directory; runs stop with the service.
 */
public class UiTestProfile implements QuarkusTestProfile {

    static final String LOAD_SECONDS = "3";
    static final String TOKEN_DELAY_MS = "40";
    static final String TINY = "tinystories-260k";
    private static Map<String, String> overrides;

    @Override
    public synchronized Map<String, String> getConfigOverrides() {
        if (overrides == null) { // once per JVM: the folder must not be wiped under a running service
            Path dir = E2eBase.buildDir().resolve("ui-test-models");
            deleteTree(dir);
            Path model = TestModel.path();
            String fake = Path.of("src/test/fakes/vllm").toAbsolutePath().toString();
            overrides = Map.of(
                    "infercore.vllm.launch_command", String.join(",", "env", "FAKE_LOAD_SECONDS=" + LOAD_SECONDS,
                            "FAKE_TOKEN_DELAY_MS=" + TOKEN_DELAY_MS, fake, "serve"),
                    "infercore.models_dir", dir.toString(),
                    "infercore.models_config", catalog(dir).toString(),
                    "infercore.hf_endpoint", SlowHub.start(model).url(),
                    "infercore.supervisor.on_shutdown", "stop",
                    "infercore.supervisor.stop_grace", "3s",
                    "infercore.supervisor.health_interval", "2s");
        }
        return overrides;
    }

    /** The built-in catalog with the tiny downloadable model appended. */
    private static Path catalog(Path dir) {
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = UiTestProfile.class.getResourceAsStream("/io/infercore/catalog/builtin-models.json")) {
            ArrayNode models = (ArrayNode) json.readTree(in);
            ObjectNode tiny = models.addObject()
                    .put("id", TINY)
                    .put("name", "TinyStories 260K")
                    .put("description", "Karpathy's 260K-parameter TinyStories model: downloads in a second, runs anywhere.")
                    .put("official_url", "https://huggingface.co/karpathy/tinyllamas")
                    .put("model_type", "llm");
            tiny.putArray("sizes").addObject().put("size", "260K").putObject("gguf")
                    .put("repo", SlowHub.REPO).put("file", SlowHub.FILE);
            tiny.putArray("quantizations").add("none");
            tiny.putArray("engines").add("llamacpp");
            tiny.putArray("formats").add("gguf");
            Files.createDirectories(dir);
            Path file = dir.resolve("catalog.json");
            json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), models);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

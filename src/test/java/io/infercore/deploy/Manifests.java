package io.infercore.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Kubernetes manifests of deploy/k8s, read as JSON trees (every document of every file). */
public final class Manifests {

    public static final Path DIR = Path.of("deploy/k8s");
    /** The stateless gateway mode (supervisor.backend=kubernetes), applied with DIR's namespace and Secret. */
    public static final Path GATEWAY_DIR = DIR.resolve("gateway");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {
    }

    public static List<JsonNode> all() {
        return all(DIR);
    }

    /** Every document of every .yaml file directly in {@code dir}. */
    public static List<JsonNode> all(Path dir) {
        List<JsonNode> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
                    values.forEachRemaining(d -> {
                        if (d != null && !d.isNull() && !d.isEmpty()) {
                            documents.add(d);
                        }
                    });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    /** The one manifest of {@code kind} named {@code name}. */
    public static JsonNode get(String kind, String name) {
        return get(DIR, kind, name);
    }

    /** The one manifest of {@code kind} named {@code name} in {@code dir}. */
    public static JsonNode get(Path dir, String kind, String name) {
        return all(dir).stream()
                .filter(d -> kind.equals(d.path("kind").asText()) && name.equals(d.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " '" + name + "' in " + dir));
    }

    /** A file of the ConfigMap, written to {@code dir} under its key. */
    public static Path configFile(String key, Path dir) throws IOException {
        JsonNode value = get("ConfigMap", "infercore-config").path("data").path(key);
        if (!value.isTextual()) {
            throw new AssertionError("ConfigMap infercore-config has no " + key);
        }
        return Files.writeString(dir.resolve(key), value.asText());
    }
}

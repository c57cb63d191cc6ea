package io.infercore.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.access.Secrets;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSourceProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the seed's {@code config.json} ({@code CONFIG_PATH} or the system property
 * {@code config.path}, else {@code ./config.json}) and
 * exposes it as {@code infercore.*} properties. It sits above {@code application.properties} and
 * below environment variables and system properties. A file that is not valid JSON, or whose
 * root is not an object, stops start-up with the file name and the position or key at fault.
 */
public class ConfigJsonSourceProvider implements ConfigSourceProvider {

    /** Above application.properties (250) and config/application.properties (260), below env (300). */
    static final int ORDINAL = 270;

    @Override
    public Iterable<ConfigSource> getConfigSources(ClassLoader forClassLoader) {
        Path file = locate();
        if (file == null) {
            return List.of();
        }
        return List.of(new MapBackedConfigSource("config.json (" + file + ")", read(file), ORDINAL) {
        });
    }

    static Path locate() {
        String explicit = System.getenv("CONFIG_PATH");
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getProperty("config.path");
        }
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit).toAbsolutePath();
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("CONFIG_PATH points to " + p + ", which is not a readable file");
            }
            return p;
        }
        Path local = Path.of("config.json").toAbsolutePath();
        return Files.isRegularFile(local) ? local : null;
    }

    static Map<String, String> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new IllegalStateException("Config file " + file + " is not valid JSON"
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")")
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("Config file " + file + " cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalStateException("Config file " + file + " must hold a JSON object at its root");
        }
        ConfigJsonCheck.check(root, file);
        Map<String, String> props = new LinkedHashMap<>();
        flatten("infercore", root, props, file);
        registerSecrets(root);
        return props;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix + "." + segment(e.getKey()), e.getValue(), out, file));
        } else if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode item : node) {
                if (item.isContainerNode()) {
                    throw new IllegalStateException("Config file " + file + ": key '" + display(prefix)
                            + "' must be a list of plain values");
                }
                if (!joined.isEmpty()) {
                    joined.append(',');
                }
                joined.append(item.asText().replace("\\", "\\\\").replace(",", "\\,"));
            }
            out.put(prefix, joined.toString());
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }

    /** Secret values of the file are masked in logs from now on, before the configuration is even mapped. */
    private static void registerSecrets(JsonNode node) {
        node.fields().forEachRemaining(e -> {
            if (ConfigJsonCheck.isSecret(e.getKey())) {
                if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> Secrets.register(v.asText()));
                } else if (e.getValue().isValueNode()) {
                    Secrets.register(e.getValue().asText());
                }
            } else if (e.getValue().isObject()) {
                registerSecrets(e.getValue());
            }
        });
    }

    /** Keys holding dots (e.g. a model alias {@code llama3.2}) are quoted, as SmallRye expects. */
    private static String segment(String key) {
        return key.contains(".") ? "\"" + key + "\"" : key;
    }

    private static String display(String property) {
        return property.substring("infercore.".length());
    }
}

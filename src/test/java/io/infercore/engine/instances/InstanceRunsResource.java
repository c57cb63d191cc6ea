package io.infercore.engine.instances;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@link NamedInstancesResource}'s fakes and instances, with a models directory of its own (the
 * run state file of these tests is read by none other) and an API keys file: an admin key, a key
 * limited to {@code ollama:a/*} and one limited to {@code ollama/*} (the default instance).
 */
public class InstanceRunsResource extends NamedInstancesResource {

    public static final String ADMIN = "sk-instance-runs-admin";
    public static final String ON_A = "sk-instance-runs-on-a";
    public static final String ON_DEFAULT = "sk-instance-runs-on-default";
    /** The models directory of the running service (its {@code runs/state.json}). */
    static volatile Path modelsDir;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        try {
            modelsDir = Files.createTempDirectory("instance-runs");
            Path keys = modelsDir.resolve("keys.json");
            Files.writeString(keys, "[{\"key\": \"" + ADMIN + "\", \"name\": \"admin\"},"
                    + " {\"key\": \"" + ON_A + "\", \"name\": \"on-a\", \"models\": [\"ollama:a/*\"]},"
                    + " {\"key\": \"" + ON_DEFAULT + "\", \"name\": \"on-default\", \"models\": [\"ollama/*\"]}]");
            config.put("infercore.models_dir", modelsDir.toString());
            config.put("infercore.api_keys_file", keys.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }
}

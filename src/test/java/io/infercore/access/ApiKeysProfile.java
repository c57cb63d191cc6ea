package io.infercore.access;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A service with keys: {@value #ADMIN} from {@code api_keys} (every model, no limit), and from a
 * keys file {@value #LIMITED} (only the test model {@code stories260k}) and {@value #RATED} (one
 * request a minute).
 */
public class ApiKeysProfile implements QuarkusTestProfile {

    static final String ADMIN = "sk-admin-key-0001";
    static final String LIMITED = "sk-limited-key-01";
    static final String RATED = "sk-rated-key-0001";

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path file = Files.createTempFile("infercore-keys", ".txt");
            Files.writeString(file, "# test keys\n" + LIMITED + " name=limited models=stories260k\n"
                    + RATED + " name=rated requests_per_minute=1\n");
            file.toFile().deleteOnExit();
            return Map.of("infercore.api_keys", ADMIN, "infercore.api_keys_file", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

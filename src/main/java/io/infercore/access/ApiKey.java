package io.infercore.access;

import java.util.Set;

/**
 * One configured API key, as the service keeps it: never the key itself, only its SHA-256 (compared
 * in constant time, see {@link ApiKeys#find(String)}) and a name for logs and messages.
 *
 * @param name              shown instead of the key: the file's {@code name}, else "key N" / "file key N"
 * @param sha256            SHA-256 of the key's UTF-8 bytes
 * @param models            models this key may use ({@code name}, {@code engine/name} or {@code engine/*});
 *                          empty: every model
 * @param requestsPerMinute the key's rate limit; {@code null}: none
 */
public record ApiKey(String name, byte[] sha256, Set<String> models, Integer requestsPerMinute) {

    public ApiKey {
        sha256 = sha256.clone();
        models = Set.copyOf(models);
    }

    public boolean allowsEveryModel() {
        return models.isEmpty();
    }

    /** Whether the key may use {@code model} on {@code engine} (either may be {@code null} when unknown). */
    public boolean allows(String engine, String model) {
        if (allowsEveryModel()) {
            return true;
        }
        if (model != null && (models.contains(model) || (engine != null && models.contains(engine + "/" + model)))) {
            return true;
        }
        return engine != null && models.contains(engine + "/*");
    }

    @Override
    public String toString() { // a record would print the hash; a name is all a log needs
        return "ApiKey[" + name + "]";
    }
}

package io.infercore.supervisor;

import io.infercore.catalog.CatalogModel;
import io.infercore.catalog.ModelSize;
import io.infercore.config.InfercoreConfig;
import io.infercore.config.ModelDirectories;
import io.infercore.error.InfercoreException;

import java.util.List;
import java.util.Map;

/**
 * A start request after the checks every engine shares, handed to the engine's
 * {@link EngineLauncher}, with the helpers launchers phrase their refusals with.
 *
 * @param replicas the requested replicas, already within {@code 1..supervisor.max_replicas}
 * @param args     the request's {@code engine_args} (empty when it set none)
 */
public record LaunchContext(LaunchRequest request, CatalogModel model, ModelSize size, int replicas,
                            Map<String, Object> args, InfercoreConfig config, ModelDirectories directories) {

    /** A catalog model and size whose launch options are asked for (no request yet). */
    public record Choice(CatalogModel model, ModelSize size, InfercoreConfig config) {

        /**
         * Thinking values the form may offer besides the default: on and off for models with the
         * {@code reasoning} ability, off for other LLMs, none for embedding and rerank models.
         */
        public List<String> thinking() {
            if (!CatalogModel.LLM.equals(model.modelType())) {
                return List.of();
            }
            return model.abilities().contains("reasoning") ? List.of("on", "off") : List.of("off");
        }
    }

    public String engine() {
        return request.engineType();
    }

    /** {@code value}, or a 400 saying the size lacks {@code field} so {@code engine} cannot run it. */
    public String require(String value, String field) {
        if (value == null) {
            throw InfercoreException.invalid("size", "size '" + size.size() + "' of '" + model.id() + "' has no "
                    + field + ", so " + engine() + " cannot run it; other sizes: " + model.sizeNames());
        }
        return value;
    }

    /** A 400 on {@code field} with {@code message} when {@code condition} holds. */
    public static void refuse(boolean condition, String field, String message) {
        if (condition) {
            throw InfercoreException.invalid(field, field + ": " + message);
        }
    }

    /** A 400 on {@code field} when it is set although the run attaches to the server at {@code key}. */
    public static void refuseWhenAttached(boolean set, String field, String key) {
        refuse(set, field, key + " is set, so the supervisor attaches to that server and cannot apply " + field
                + "; leave " + field + " out, or unset " + key + " to let the supervisor launch servers");
    }

    /** Whether an alias or setting names a path rather than a repo. */
    public static boolean isPath(String value) {
        return value.startsWith("/") || value.startsWith("~") || value.startsWith("./") || value.startsWith("../");
    }

    /** {@code ~} and {@code ~/x} against the user's home directory. */
    public static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }
}

package io.infercore.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.access.Secrets;
import io.smallrye.config.WithName;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks a {@code config.json} against {@link InfercoreConfig} before the configuration is
 * mapped, so a mistake is reported with the file, the key and what was expected (the mapping
 * itself would name only the key).
 */
final class ConfigJsonCheck {

    private final Path file;

    private ConfigJsonCheck(Path file) {
        this.file = file;
    }

    static void check(JsonNode root, Path file) {
        ConfigJsonCheck check = new ConfigJsonCheck(file);
        check.group(root, InfercoreConfig.class, "");
        for (Method engine : InfercoreConfig.class.getMethods()) {
            if (engine.getParameterCount() == 0 && root.path(snake(engine.getName())).has("instances")) {
                check.instances(root.path(snake(engine.getName())), engine.getReturnType(), snake(engine.getName()));
            }
        }
    }

    /** Instance names a request can spell in {@code engine:instance/model}. */
    static final java.util.regex.Pattern INSTANCE_NAME = java.util.regex.Pattern.compile("[a-z0-9-]+");

    /**
     * {@code <engine>.instances} ({@link InfercoreConfig.EngineInstance}): every name addressable,
     * every instance with a {@code base_url}, and no server twice (an instance repeating another
     * one's URL, or the engine's default {@code base_url}, would only split one server's breaker).
     */
    private void instances(JsonNode engine, Class<?> type, String engineKey) {
        Map<String, String> urls = new java.util.LinkedHashMap<>();
        String defaultUrl = engine.path("base_url").isTextual() ? engine.path("base_url").asText() : defaultBaseUrl(type);
        if (defaultUrl != null && !defaultUrl.isBlank()) {
            urls.put(normalizedUrl(defaultUrl), engineKey + ".base_url");
        }
        engine.path("instances").fields().forEachRemaining(e -> {
            String key = engineKey + ".instances." + e.getKey();
            if (!INSTANCE_NAME.matcher(e.getKey()).matches()) {
                throw fail(key, "is not a valid instance name: use lower-case letters, digits and '-' (it is "
                        + "written in model names as " + engineKey + ":<instance>/<model>)");
            }
            JsonNode url = e.getValue().path("base_url");
            if (!url.isTextual() || url.asText().isBlank()) {
                throw fail(key, "needs a base_url, the address of that server, e.g. {\"base_url\": \"http://gpu2:8000\"}");
            }
            String previous = urls.putIfAbsent(normalizedUrl(url.asText()), key + ".base_url");
            if (previous != null) {
                throw fail(key + ".base_url", "repeats " + url.asText() + ", already the URL of '" + previous
                        + "'; each instance must be another server");
            }
        });
    }

    private static String defaultBaseUrl(Class<?> engineType) {
        try {
            io.smallrye.config.WithDefault d = engineType.getMethod("baseUrl").getAnnotation(io.smallrye.config.WithDefault.class);
            return d == null ? null : d.value();
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static String normalizedUrl(String url) {
        return url.strip().replaceAll("/+$", "").toLowerCase(java.util.Locale.ROOT);
    }

    private void group(JsonNode node, Class<?> type, String path) {
        Map<String, Method> keys = keysOf(type);
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = path + field.getKey();
            Method method = keys.get(field.getKey());
            if (method == null) {
                throw fail(key, "is not a known key; known here: " + keys.keySet());
            }
            value(field.getValue(), method.getGenericReturnType(), key);
        }
    }

    private void value(JsonNode node, Type type, String key) {
        if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
            if (!node.isNull()) {
                value(node, p.getActualTypeArguments()[0], key);
            }
            return;
        }
        if (node.isNull()) {
            throw fail(key, "must not be null");
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class
                && p.getActualTypeArguments()[1] instanceof Class<?> group && group.isInterface()) {
            expect(node.isObject(), key, "an object of names to objects", node);
            node.fields().forEachRemaining(e -> value(e.getValue(), group, key + "." + e.getKey()));
        } else if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            expect(node.isObject(), key, "an object of names to strings", node);
            node.fields().forEachRemaining(e -> expect(e.getValue().isTextual(), key + "." + e.getKey(), "a string", e.getValue()));
        } else if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            expect(node.isArray(), key, "a list", node);
        } else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            expect(node.isIntegralNumber(), key, "an integer", node);
        } else if (type == double.class || type == Double.class) {
            expect(node.isNumber(), key, "a number", node);
        } else if (type == boolean.class || type == Boolean.class) {
            expect(node.isBoolean(), key, "true or false", node);
        } else if (type == String.class) {
            expect(node.isTextual(), key, "a string", node);
        } else if (type == Duration.class) {
            expect(node.isTextual() || node.isIntegralNumber(), key, "a duration such as \"30s\"", node);
        } else if (type instanceof Class<?> c && c.isInterface()) {
            expect(node.isObject(), key, "an object", node);
            group(node, c, key + ".");
        }
    }

    private void expect(boolean ok, String key, String what, JsonNode actual) {
        if (!ok) {
            // a secret put in the wrong place must not be echoed by the error that reports it
            String got = Secrets.redact(actual.toString());
            throw fail(key, "must be " + what + ", got " + (isSecret(key) ? "a " + actual.getNodeType().name()
                    .toLowerCase(java.util.Locale.ROOT) : got));
        }
    }

    /** Keys whose values are secrets: {@code hf_token}, {@code *.api_key}, {@code api_keys}. */
    static boolean isSecret(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
        return last.equals("hf_token") || last.equals("api_key") || last.equals("api_keys");
    }

    private IllegalStateException fail(String key, String problem) {
        return new IllegalStateException("Config file " + file + ": key '" + key + "' " + problem);
    }

    private static Map<String, Method> keysOf(Class<?> type) {
        Map<String, Method> keys = new TreeMap<>();
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() == 0 && !m.isDefault() && !java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                WithName name = m.getAnnotation(WithName.class);
                keys.put(name != null ? name.value() : snake(m.getName()), m);
            }
        }
        return keys;
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}

package io.infercore.catalog;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Typed reads of one JSON value with errors of the form {@code <source>: <JSON path>: <reason>}. */
final class JsonChecks {

    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    /** Longest context length accepted (10M tokens): larger is a typo. */
    static final int MAX_CONTEXT = 10_000_000;

    private final String source;

    JsonChecks(String source) {
        this.source = source;
    }

    CatalogException fail(String path, String reason) {
        return new CatalogException(source + ": " + path + ": " + reason);
    }

    void object(String path, JsonNode node, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw fail(path, "must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw fail(path + "." + key, "unknown field; allowed: " + sorted(allowed));
            }
        }
    }

    String text(String path, JsonNode node, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw fail(path, "is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw fail(path, "must be a non-empty string");
        }
        return node.asText().strip();
    }

    String matching(String path, JsonNode node, Pattern pattern, String reason, boolean required) {
        String value = text(path, node, required);
        if (value != null && !pattern.matcher(value).matches()) {
            throw fail(path, reason + ", not \"" + value + "\"");
        }
        if (value != null && value.contains("..")) {
            throw fail(path, "must not contain \"..\"");
        }
        return value;
    }

    boolean bool(String path, JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw fail(path, "must be true or false");
        }
        return node.booleanValue();
    }

    Integer contextLength(String path, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || node.longValue() < 1 || node.longValue() > MAX_CONTEXT) {
            throw fail(path, "must be a whole number of tokens between 1 and " + MAX_CONTEXT + ", not " + node);
        }
        return node.intValue();
    }

    List<String> tokens(String path, JsonNode node, List<String> fallback) {
        if (node == null || node.isNull()) {
            if (fallback == null) {
                throw fail(path, "is required (a non-empty array of strings)");
            }
            return fallback;
        }
        if (!node.isArray() || (node.isEmpty() && fallback == null)) {
            throw fail(path, "must be a" + (fallback == null ? " non-empty" : "n") + " array of strings");
        }
        Set<String> values = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String value = matching(path + "[" + i + "]", node.get(i), TOKEN, "must be a short name", true);
            if (!values.add(value)) {
                throw fail(path + "[" + i + "]", "duplicate value '" + value + "'");
            }
        }
        return List.copyOf(values);
    }

    /** {@code tokens} where each value must be one of {@code known}. */
    List<String> oneOf(String path, JsonNode node, List<String> fallback, Set<String> known, String what) {
        List<String> values = tokens(path, node, fallback);
        for (int i = 0; i < values.size(); i++) {
            if (!known.contains(values.get(i))) {
                throw fail(path + "[" + i + "]", "unknown " + what + " '" + values.get(i) + "'; known: " + sorted(known));
            }
        }
        return values;
    }

    static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}

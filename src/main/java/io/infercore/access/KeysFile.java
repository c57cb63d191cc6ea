package io.infercore.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code api_keys_file}. Two formats, told apart by the first non-blank character:
 * <pre>
 * [{"key": "sk-team-a", "name": "team-a", "models": ["stories260k", "ollama/*"], "requests_per_minute": 60},
 *  {"key": "sk-admin"}]                       (JSON: a list, or {"keys": [...]})
 *
 * # one key a line, then optional fields
 * sk-team-a  name=team-a  models=stories260k,ollama/*  requests_per_minute=60
 * sk-admin
 * </pre>
 * Mistakes stop start-up with the file, the line or entry, and the field; never with the key.
 */
final class KeysFile {

    /** A key as read, before hashing. */
    record Entry(String key, String name, Set<String> models, Integer requestsPerMinute) {
        @Override
        public String toString() {
            return "Entry[" + name + "]";
        }
    }

    private static final Set<String> FIELDS = Set.of("key", "name", "models", "requests_per_minute");

    private KeysFile() {
    }

    static List<Entry> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("api_keys_file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        String start = text.strip();
        List<Entry> entries = start.startsWith("[") || start.startsWith("{") ? json(file, text) : lines(file, text);
        for (Entry e : entries) {
            Secrets.register(e.key());
        }
        return entries;
    }

    private static List<Entry> json(Path file, String text) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            // the parser's message may quote the text around the error, which may be a key
            throw new IllegalStateException("api_keys_file " + file + " is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        JsonNode list = root.isObject() && root.size() == 1 && root.has("keys") ? root.get("keys") : root;
        if (!list.isArray()) {
            throw fail(file, "", "must hold a JSON list of keys, or {\"keys\": [...]}");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String where = " entry " + (i + 1);
            if (item.isTextual()) {
                entries.add(entry(file, where, item.asText(), null, Set.of(), null));
                continue;
            }
            if (!item.isObject()) {
                throw fail(file, where, "must be a key string or an object {key, name?, models?, requests_per_minute?}");
            }
            for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (!FIELDS.contains(field)) {
                    throw fail(file, where, "has an unknown field '" + field + "'; known: " + FIELDS);
                }
            }
            JsonNode key = item.get("key");
            if (key == null || !key.isTextual()) {
                throw fail(file, where, "needs \"key\" as a string");
            }
            JsonNode name = item.get("name");
            if (name != null && !name.isTextual()) {
                throw fail(file, where, "field 'name' must be a string");
            }
            Set<String> models = new LinkedHashSet<>();
            JsonNode m = item.get("models");
            if (m != null) {
                if (!m.isArray()) {
                    throw fail(file, where, "field 'models' must be a list of model names");
                }
                for (JsonNode model : m) {
                    if (!model.isTextual() || model.asText().isBlank()) {
                        throw fail(file, where, "field 'models' must be a list of model names");
                    }
                    models.add(model.asText().strip());
                }
            }
            JsonNode rpm = item.get("requests_per_minute");
            if (rpm != null && !rpm.isIntegralNumber()) {
                throw fail(file, where, "field 'requests_per_minute' must be a positive integer");
            }
            entries.add(entry(file, where, key.asText(), name == null ? null : name.asText(), models,
                    rpm == null ? null : rpm.asInt()));
        }
        return entries;
    }

    private static List<Entry> lines(Path file, String text) {
        List<Entry> entries = new ArrayList<>();
        List<String> all = text.lines().toList();
        for (int i = 0; i < all.size(); i++) {
            String line = all.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = " line " + (i + 1);
            String[] parts = line.split("\\s+");
            String name = null;
            Set<String> models = Set.of();
            Integer rpm = null;
            for (int p = 1; p < parts.length; p++) {
                int eq = parts[p].indexOf('=');
                String field = eq < 0 ? parts[p] : parts[p].substring(0, eq);
                String value = eq < 0 ? "" : parts[p].substring(eq + 1);
                switch (field) {
                    case "name" -> name = value;
                    case "models" -> models = new LinkedHashSet<>(List.of(value.split(",")));
                    case "requests_per_minute" -> {
                        if (!value.matches("\\d{1,9}")) {
                            throw fail(file, where, "requests_per_minute must be a positive integer");
                        }
                        rpm = Integer.parseInt(value);
                    }
                    default -> throw fail(file, where, "has an unknown field '" + field
                            + "'; a line is: KEY [name=N] [models=a,b] [requests_per_minute=R]");
                }
            }
            models = new LinkedHashSet<>(models.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
            entries.add(entry(file, where, parts[0], name, models, rpm));
        }
        return entries;
    }

    private static Entry entry(Path file, String where, String key, String name, Set<String> models, Integer rpm) {
        if (key.isBlank() || key.strip().length() < ApiKeys.MIN_LENGTH || key.chars().anyMatch(c -> c <= ' ' || c == ',')) {
            throw fail(file, where, "has a key that is too short (under " + ApiKeys.MIN_LENGTH
                    + " characters) or holds spaces or commas");
        }
        if (rpm != null && rpm < 1) {
            throw fail(file, where, "requests_per_minute must be a positive integer");
        }
        return new Entry(key, name == null || name.isBlank() ? null : name.strip(), models, rpm);
    }

    private static IllegalStateException fail(Path file, String where, String problem) {
        return new IllegalStateException("api_keys_file " + file + where + " " + problem);
    }
}

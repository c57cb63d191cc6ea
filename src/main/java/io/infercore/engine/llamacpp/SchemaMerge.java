package io.infercore.engine.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code allOf} as one schema: the subschemas (references followed) merged into their parent.
 * Properties of the same name are merged in turn, {@code required} lists joined, numeric bounds
 * tightened; any other keyword that two parts set differently keeps its first value and is
 * reported as not enforced (the validator still checks every part).
 */
final class SchemaMerge {

    private SchemaMerge() {
    }

    static ObjectNode allOf(ObjectNode schema, Function<String, JsonNode> resolve, String path, GrammarRules rules) {
        ObjectNode merged = schema.deepCopy();
        merged.remove("allOf");
        JsonNode parts = schema.get("allOf");
        if (!parts.isArray() || parts.isEmpty()) {
            throw io.infercore.error.InfercoreException.invalid("schema", "allOf must be a non-empty array (at '"
                    + (path.isEmpty() ? "/" : path) + "')");
        }
        int i = 0;
        for (JsonNode part : parts) {
            mergeInto(merged, followRefs(part, resolve, 0), resolve, path + "/allOf/" + i++, rules);
        }
        return merged;
    }

    private static JsonNode followRefs(JsonNode part, Function<String, JsonNode> resolve, int depth) {
        if (part.isObject() && part.has("$ref") && depth < 32) {
            ObjectNode copy = ((ObjectNode) part).deepCopy();
            copy.remove("$ref");
            JsonNode target = followRefs(resolve.apply(part.get("$ref").asText()), resolve, depth + 1);
            if (copy.isEmpty() || !target.isObject()) {
                return target;
            }
            ObjectNode both = JsonNodeFactory.instance.objectNode();
            both.putArray("allOf").add(target).add(copy);
            return both;
        }
        return part;
    }

    private static void mergeInto(ObjectNode into, JsonNode part, Function<String, JsonNode> resolve, String path,
                                  GrammarRules rules) {
        if (part.isBoolean()) {
            if (!part.asBoolean()) {
                throw io.infercore.error.InfercoreException.invalid("schema", "allOf contains false: no value is allowed (at '" + path + "')");
            }
            return;
        }
        if (!part.isObject()) {
            return;
        }
        if (part.has("allOf")) {
            part = allOf((ObjectNode) part, resolve, path, rules);
        }
        part.fields().forEachRemaining(field -> {
            String key = field.getKey();
            JsonNode value = field.getValue();
            JsonNode existing = into.get(key);
            if (existing == null) {
                into.set(key, value.deepCopy());
                return;
            }
            switch (key) {
                case "properties" -> value.fields().forEachRemaining(p -> {
                    JsonNode old = existing.get(p.getKey());
                    if (old == null) {
                        ((ObjectNode) existing).set(p.getKey(), p.getValue().deepCopy());
                    } else if (!old.equals(p.getValue())) {
                        ObjectNode both = JsonNodeFactory.instance.objectNode();
                        both.putArray("allOf").add(old).add(p.getValue().deepCopy());
                        ((ObjectNode) existing).set(p.getKey(), both);
                    }
                });
                case "required" -> {
                    Set<String> names = new LinkedHashSet<>();
                    existing.forEach(n -> names.add(n.asText()));
                    value.forEach(n -> names.add(n.asText()));
                    ArrayNode joined = into.putArray("required");
                    names.forEach(joined::add);
                }
                case "minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties" -> {
                    if (value.isNumber() && existing.isNumber() && value.decimalValue().compareTo(existing.decimalValue()) > 0) {
                        into.set(key, value.deepCopy());
                    }
                }
                case "maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties" -> {
                    if (value.isNumber() && existing.isNumber() && value.decimalValue().compareTo(existing.decimalValue()) < 0) {
                        into.set(key, value.deepCopy());
                    }
                }
                case "$defs", "definitions", "title", "description", "$comment", "examples", "default" -> { }
                default -> {
                    if (!existing.equals(value)) {
                        rules.unenforced(path, key);
                    }
                }
            }
        });
    }
}

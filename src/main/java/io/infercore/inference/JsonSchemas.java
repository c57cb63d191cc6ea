package io.infercore.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import io.infercore.error.InfercoreException;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schema handling for structured output: accepts a real JSON Schema or the seed's short
 * form ({@code {"city":"string","population":"number"}}), and validates model output with the
 * networknt validator (draft detected from {@code $schema}, 2020-12 otherwise).
 */
public final class JsonSchemas {

    private static final Set<String> TYPE_NAMES = Set.of("string", "number", "integer", "boolean", "array", "object", "null");
    private static final Set<String> SCHEMA_KEYWORDS = Set.of("type", "properties", "$schema", "$ref", "$defs",
            "items", "enum", "const", "anyOf", "oneOf", "allOf", "not", "required", "definitions");
    private static final Set<String> REFERENCE_KEYWORDS = Set.of("$ref", "$dynamicRef", "$recursiveRef");
    private static final Set<String> KNOWN_DRAFTS = Set.of(
            "http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-06/schema#",
            "http://json-schema.org/draft-07/schema#", "https://json-schema.org/draft/2019-09/schema",
            "https://json-schema.org/draft/2020-12/schema");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, JsonSchema> COMPILED = new ConcurrentHashMap<>();

    private JsonSchemas() {
    }

    /** The JSON Schema a request means: itself, or the expansion of the short form. */
    public static ObjectNode normalize(JsonNode schema) {
        if (schema == null || !schema.isObject() || schema.isEmpty()) {
            throw InfercoreException.invalid("schema", "schema must be a non-empty JSON object "
                    + "(a JSON Schema, or the short form {\"field\":\"string\"})");
        }
        ObjectNode result = isJsonSchema(schema) ? (ObjectNode) schema.deepCopy() : expandShortForm((ObjectNode) schema, "schema");
        refuseRemoteReferences(result, "schema");
        compile(result);
        return result;
    }

    /**
     * Only references inside the schema itself are allowed: the validator would otherwise fetch
     * any URL a request names (server-side request forgery), and a grammar cannot use them anyway.
     */
    private static void refuseRemoteReferences(JsonNode node, String path) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String key = field.getKey();
                JsonNode value = field.getValue();
                if (REFERENCE_KEYWORDS.contains(key) && !(value.isTextual() && value.asText().startsWith("#"))) {
                    throw InfercoreException.invalid("schema", path + "." + key
                            + " must be a local reference starting with '#'");
                }
                if (key.equals("$schema") && !(value.isTextual() && KNOWN_DRAFTS.contains(value.asText()))) {
                    throw InfercoreException.invalid("schema", path + ".$schema must name a JSON Schema draft: " + KNOWN_DRAFTS);
                }
                if (key.equals("$id") && value.isTextual() && value.asText().contains(":")) {
                    throw InfercoreException.invalid("schema", path + ".$id must not be an absolute URI");
                }
                refuseRemoteReferences(value, path + "." + key);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseRemoteReferences(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static boolean isJsonSchema(JsonNode node) {
        var names = node.fieldNames();
        while (names.hasNext()) {
            if (SCHEMA_KEYWORDS.contains(names.next())) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode expandShortForm(ObjectNode shortForm, String path) {
        ObjectNode schema = MAPPER.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        shortForm.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            String where = path + "." + field.getKey();
            if (value.isTextual() && TYPE_NAMES.contains(value.asText())) {
                properties.putObject(field.getKey()).put("type", value.asText());
            } else if (value.isObject() && !value.isEmpty()) {
                properties.set(field.getKey(), expandShortForm((ObjectNode) value, where));
            } else {
                throw InfercoreException.invalid("schema", where + " must be a type name " + TYPE_NAMES
                        + " or a nested object in the short form, or the schema must be a JSON Schema");
            }
            required.add(field.getKey());
        });
        schema.put("additionalProperties", false);
        return schema;
    }

    static JsonSchema compile(ObjectNode schema) {
        String key = schema.toString();
        JsonSchema compiled = COMPILED.get(key);
        if (compiled != null) {
            return compiled;
        }
        try {
            SpecVersion.VersionFlag version = SpecVersionDetector.detectOptionalVersion(schema, false)
                    .orElse(SpecVersion.VersionFlag.V202012);
            compiled = JsonSchemaFactory.getInstance(version).getSchema(schema);
            compiled.initializeValidators();
        } catch (RuntimeException e) {
            throw InfercoreException.invalid("schema", "schema is not a usable JSON Schema: " + e.getMessage());
        }
        if (COMPILED.size() < 256) {
            COMPILED.put(key, compiled);
        }
        return compiled;
    }

    /** Parses and validates generated text; the errors are the validator's own messages. */
    public static Verdict check(ObjectNode schema, String text) {
        JsonNode json;
        try {
            json = MAPPER.readTree(stripFences(text));
        } catch (JsonProcessingException e) {
            return new Verdict(null, List.of("output is not valid JSON: " + e.getOriginalMessage()));
        }
        if (json == null || json.isMissingNode()) {
            return new Verdict(null, List.of("output is empty"));
        }
        Set<ValidationMessage> messages = compile(schema).validate(json);
        List<String> errors = messages.stream().map(ValidationMessage::getMessage)
                .sorted(Comparator.naturalOrder()).toList();
        return new Verdict(json, errors);
    }

    /** Models often wrap JSON in a Markdown code fence; the JSON inside is what counts. */
    static String stripFences(String text) {
        String t = text.strip();
        if (t.startsWith("```")) {
            int firstNewline = t.indexOf('\n');
            int closing = t.lastIndexOf("```");
            if (firstNewline > 0 && closing > firstNewline) {
                return t.substring(firstNewline + 1, closing).strip();
            }
        }
        return t;
    }

    /** Outcome of {@link #check}: the parsed JSON (null when unparseable) and the errors (empty when valid). */
    public record Verdict(JsonNode json, List<String> errors) {
        public boolean valid() {
            return json != null && errors.isEmpty();
        }
    }
}

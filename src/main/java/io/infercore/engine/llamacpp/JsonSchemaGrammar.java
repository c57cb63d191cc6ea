package io.infercore.engine.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.error.InfercoreException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema to llama.cpp GBNF grammar, in Java. llama.cpp's own converter, reached through
 * JNI, aborts the whole JVM on a schema it cannot handle (an uncaught C++ exception), so a
 * single bad request could kill the service; this one can only fail with a 400.
 *
 * <p>Covered: object (properties, required, additionalProperties), array (items, minItems,
 * maxItems), string (enum, const, minLength, maxLength), number, integer, boolean, null, enum
 * and const of any JSON value, anyOf / oneOf, local {@code $ref} to {@code $defs} /
 * {@code definitions}, and type lists. Keywords a grammar cannot express (pattern, minimum,
 * format, ...) leave the value unconstrained in shape; the server-side validator still checks
 * the result against the full schema.
 */
final class JsonSchemaGrammar {

    private static final int MAX_RULES = 2000;
    private static final Map<String, String> PRIMITIVES = new LinkedHashMap<>();

    static {
        PRIMITIVES.put("ws", "| \" \" | \"\\n\" [ \\t]{0,20}");
        PRIMITIVES.put("char", "[^\"\\\\\\x7F\\x00-\\x1F] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4})");
        PRIMITIVES.put("string", "\"\\\"\" char* \"\\\"\" ws");
        PRIMITIVES.put("integer", "(\"-\"? ([0-9] | [1-9] [0-9]{0,15})) ws");
        PRIMITIVES.put("number", "(\"-\"? ([0-9] | [1-9] [0-9]{0,15})) (\".\" [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})? ws");
        PRIMITIVES.put("boolean", "(\"true\" | \"false\") ws");
        PRIMITIVES.put("null", "\"null\" ws");
        PRIMITIVES.put("value", "object | array | string | number | boolean | null");
        PRIMITIVES.put("object", "\"{\" ws ( string \":\" ws value (\",\" ws string \":\" ws value)* )? \"}\" ws");
        PRIMITIVES.put("array", "\"[\" ws ( value (\",\" ws value)* )? \"]\" ws");
    }

    private final JsonNode root;
    private final Map<String, String> rules = new LinkedHashMap<>();
    private final Set<String> usedPrimitives = new HashSet<>();
    private final Set<String> refsInProgress = new HashSet<>();
    private int counter;

    private JsonSchemaGrammar(JsonNode root) {
        this.root = root;
    }

    static String convert(JsonNode schema) {
        JsonSchemaGrammar g = new JsonSchemaGrammar(schema);
        String top = g.visit(schema, "root-value");
        StringBuilder out = new StringBuilder("root ::= ").append(top).append('\n');
        g.rules.forEach((name, body) -> out.append(name).append(" ::= ").append(body).append('\n'));
        closePrimitives(g.usedPrimitives).forEach(p -> out.append(p).append(" ::= ").append(PRIMITIVES.get(p)).append('\n'));
        return out.toString();
    }

    private String visit(JsonNode schema, String hint) {
        if (rules.size() > MAX_RULES) {
            throw InfercoreException.invalid("schema", "schema is too large to turn into a grammar");
        }
        if (schema == null || schema.isBoolean() || schema.isEmpty()) {
            return primitive("value");
        }
        if (!schema.isObject()) {
            throw InfercoreException.invalid("schema", "every subschema must be an object or a boolean");
        }
        if (schema.has("$ref")) {
            return reference(schema.get("$ref").asText());
        }
        if (schema.has("const")) {
            return literal(schema.get("const"));
        }
        if (schema.has("enum")) {
            if (!schema.get("enum").isArray() || schema.get("enum").isEmpty()) {
                throw InfercoreException.invalid("schema", "enum must be a non-empty array");
            }
            List<String> options = new ArrayList<>();
            schema.get("enum").forEach(v -> options.add(literal(v)));
            return rule(hint, String.join(" | ", options));
        }
        for (String keyword : new String[] {"anyOf", "oneOf"}) {
            if (schema.has(keyword) && schema.get(keyword).isArray() && !schema.get(keyword).isEmpty()) {
                List<String> options = new ArrayList<>();
                int i = 0;
                for (JsonNode option : schema.get(keyword)) {
                    options.add(visit(option, hint + "-" + i++));
                }
                return rule(hint, String.join(" | ", options));
            }
        }
        JsonNode type = schema.get("type");
        if (type != null && type.isArray()) {
            List<String> options = new ArrayList<>();
            for (JsonNode t : type) {
                options.add(typed(schema, t.asText(), hint + "-" + t.asText()));
            }
            return rule(hint, String.join(" | ", options));
        }
        if (type == null) {
            if (schema.has("properties")) {
                return typed(schema, "object", hint);
            }
            if (schema.has("items")) {
                return typed(schema, "array", hint);
            }
            return primitive("value");
        }
        if (!type.isTextual()) {
            throw InfercoreException.invalid("schema", "schema type must be a string or a list of strings");
        }
        return typed(schema, type.asText(), hint);
    }

    private String typed(JsonNode schema, String type, String hint) {
        return switch (type) {
            case "object" -> object(schema, hint);
            case "array" -> array(schema, hint);
            case "string" -> string(schema, hint);
            case "number", "integer", "boolean", "null" -> primitive(type);
            default -> throw InfercoreException.invalid("schema", "schema type '" + type + "' is unknown");
        };
    }

    private String object(JsonNode schema, String hint) {
        JsonNode properties = schema.get("properties");
        if (properties == null || !properties.isObject() || properties.isEmpty()) {
            return primitive("object");
        }
        Set<String> required = new HashSet<>();
        if (schema.has("required")) {
            schema.get("required").forEach(r -> required.add(r.asText()));
        }
        List<String> mandatory = new ArrayList<>();
        List<String> optional = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String value = visit(field.getValue(), hint + "-" + field.getKey());
            String pair = quoted(jsonString(field.getKey())) + " ws \":\" ws " + value;
            (required.contains(field.getKey()) ? mandatory : optional).add(pair);
        }
        StringBuilder body = new StringBuilder("\"{\" ws ");
        if (mandatory.isEmpty()) {
            // Optional-only objects: any subset, kept in declaration order.
            String first = String.join(" | ", optional);
            body.append("( (").append(first).append(") (\",\" ws (").append(first).append("))* )?");
        } else {
            body.append(String.join(" \",\" ws ", mandatory));
            for (String pair : optional) {
                body.append(" (\",\" ws ").append(pair).append(")?");
            }
        }
        body.append(" \"}\" ws");
        return rule(hint, body.toString());
    }

    private String array(JsonNode schema, String hint) {
        String item = schema.has("items") ? visit(schema.get("items"), hint + "-item") : primitive("value");
        int min = schema.path("minItems").asInt(0);
        int max = schema.has("maxItems") ? schema.get("maxItems").asInt() : -1;
        if (min < 0 || (max >= 0 && max < min) || min > 100 || max > 100) {
            throw InfercoreException.invalid("schema", "minItems/maxItems must be between 0 and 100 and ordered");
        }
        String body;
        if (max == 0) {
            body = "\"[\" ws \"]\" ws";
        } else if (min == 0) {
            body = "\"[\" ws ( " + item + " (\",\" ws " + item + ")" + repeat(0, max < 0 ? -1 : max - 1) + " )? \"]\" ws";
        } else {
            body = "\"[\" ws " + item + " (\",\" ws " + item + ")" + repeat(min - 1, max < 0 ? -1 : max - 1) + " \"]\" ws";
        }
        return rule(hint, body);
    }

    private String string(JsonNode schema, String hint) {
        if (!schema.has("minLength") && !schema.has("maxLength")) {
            return primitive("string");
        }
        int min = schema.path("minLength").asInt(0);
        int max = schema.has("maxLength") ? schema.get("maxLength").asInt() : -1;
        if (min < 0 || (max >= 0 && max < min) || min > 10_000 || max > 10_000) {
            throw InfercoreException.invalid("schema", "minLength/maxLength must be between 0 and 10000 and ordered");
        }
        usedPrimitives.add("char");
        usedPrimitives.add("ws");
        return rule(hint, "\"\\\"\" char" + repeat(min, max) + " \"\\\"\" ws");
    }

    private String reference(String ref) {
        String name;
        if (ref.startsWith("#/$defs/")) {
            name = ref.substring(8);
        } else if (ref.startsWith("#/definitions/")) {
            name = ref.substring(14);
        } else if (ref.equals("#")) {
            name = null;
        } else {
            throw InfercoreException.invalid("schema", "only local $ref (#/$defs/..., #/definitions/...) is supported, got " + ref);
        }
        String ruleName = "ref-" + sanitize(name == null ? "root" : name);
        if (rules.containsKey(ruleName) || refsInProgress.contains(ruleName)) {
            return ruleName;
        }
        JsonNode target = name == null ? root : root.path(ref.startsWith("#/$defs/") ? "$defs" : "definitions").get(name);
        if (target == null) {
            throw InfercoreException.invalid("schema", "$ref " + ref + " points to nothing");
        }
        refsInProgress.add(ruleName);
        String body = visit(target, ruleName + "-body");
        refsInProgress.remove(ruleName);
        rules.put(ruleName, body);
        return ruleName;
    }

    private String literal(JsonNode value) {
        return quoted(value.toString()) + " ws";
    }

    private String rule(String hint, String body) {
        String name = sanitize(hint) + "-" + (counter++);
        rules.put(name, body);
        return name;
    }

    private String primitive(String name) {
        usedPrimitives.add(name);
        return name;
    }

    private static Set<String> closePrimitives(Set<String> used) {
        Set<String> all = new java.util.LinkedHashSet<>();
        List<String> todo = new ArrayList<>(used);
        while (!todo.isEmpty()) {
            String p = todo.remove(todo.size() - 1);
            if (all.add(p)) {
                for (String other : PRIMITIVES.keySet()) {
                    if (PRIMITIVES.get(p).matches(".*(^|[ (|])" + other + "([ )*?]|$).*")) {
                        todo.add(other);
                    }
                }
            }
        }
        return all;
    }

    private static String repeat(int min, int max) {
        if (max < 0) {
            return min == 0 ? "*" : "{" + min + ",}";
        }
        return "{" + min + "," + max + "}";
    }

    private static String jsonString(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }

    /** A GBNF string literal of {@code text}. */
    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\x%02X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String sanitize(String name) {
        String s = name.replaceAll("[^A-Za-z0-9-]", "-");
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}

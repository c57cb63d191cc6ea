package io.infercore.engine.llamacpp;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schema to llama.cpp GBNF grammar, in Java. llama.cpp's own converter, reached through
 * JNI, aborts the whole JVM on a schema it cannot handle (an uncaught C++ exception), so a
 * single bad request could kill the service; this one can only fail with a 400.
 *
 * <p>Enforced by the grammar: {@code type} (and type lists), {@code enum} / {@code const} of any
 * JSON value, {@code anyOf} / {@code oneOf} (sibling keywords apply to each branch),
 * {@code allOf} (merged), local {@code $ref} (recursive too); objects: {@code properties},
 * {@code required}, {@code additionalProperties} (false / true / a schema: extra keys differ
 * from the declared ones), {@code minProperties} / {@code maxProperties}; arrays: {@code items},
 * {@code prefixItems}, {@code minItems} / {@code maxItems}; strings: {@code minLength} /
 * {@code maxLength}, {@code pattern} (see {@link PatternGrammar}), {@code format} date, time,
 * date-time, uuid, email, ipv4; integers: any range, negative and exclusive bounds included;
 * numbers: ranges with whole-number bounds. The grammar may allow fewer documents than the
 * schema, never more. Everything else is reported in {@link SchemaGrammar#unenforced()} and left
 * to the validator, which checks every answer against the full schema anyway.
 */
final class JsonSchemaGrammar {

    /** Keywords a grammar cannot express; reported when present. */
    private static final List<String> NEVER_ENFORCED = List.of("not", "if", "uniqueItems", "contains", "multipleOf",
            "patternProperties", "propertyNames", "dependentRequired", "dependentSchemas", "dependencies",
            "unevaluatedItems", "unevaluatedProperties");
    private static final int MAX_LENGTH = 2000;
    private static final int MAX_ITEMS = 1000;

    private static final Map<String, SchemaGrammar> CACHE = new ConcurrentHashMap<>();

    private final JsonNode root;
    private final GrammarRules rules = new GrammarRules();
    private final Set<String> refsInProgress = new HashSet<>();
    private final CompositeGrammar composites;

    private JsonSchemaGrammar(JsonNode root) {
        this.root = root;
        this.composites = new CompositeGrammar(rules, this::visit);
    }

    /** {@link #convert}, remembered: the same schema is typically sent many times. */
    static SchemaGrammar cached(JsonNode schema) {
        String key = schema.toString();
        SchemaGrammar grammar = CACHE.get(key);
        if (grammar == null) {
            grammar = convert(schema);
            if (CACHE.size() < 256) {
                CACHE.put(key, grammar);
            }
        }
        return grammar;
    }

    /**
     * The grammar for {@code schema}, checked: a schema outside what can be turned into a
     * grammar is a 400; a grammar that llama.cpp could not parse is our defect, reported as an
     * internal error rather than ever generating without it.
     */
    static SchemaGrammar convert(JsonNode schema) {
        JsonSchemaGrammar g = new JsonSchemaGrammar(schema);
        String gbnf;
        try {
            gbnf = g.rules.render(g.visit(schema, ""));
        } catch (IllegalStateException | StackOverflowError e) {
            throw InfercoreException.invalid("schema", "schema is too large or too deeply nested to turn into a grammar");
        } catch (InfercoreException e) {
            if (e.kind() == ErrorKind.INVALID_REQUEST && !e.getMessage().contains("schema")) {
                throw InfercoreException.invalid("schema", "schema: " + e.getMessage());
            }
            throw e;
        }
        GbnfCheck.problem(gbnf).ifPresent(problem -> {
            if (problem.contains("left-recursive")) { // objects, arrays and strings all open with a character
                throw InfercoreException.invalid("schema", "the schema refers to itself without nesting "
                        + "(a $ref cycle through no object or array): no finite value can satisfy it");
            }
            throw new InfercoreException(ErrorKind.INTERNAL, "The grammar infercore built from this schema is malformed ("
                    + problem + "); nothing was generated. This is a defect of infercore: please report it with the schema",
                    "schema", null);
        });
        return new SchemaGrammar(gbnf, g.rules.unenforced());
    }

    String visit(JsonNode schema, String path) {
        if (schema == null || (schema.isBoolean() && schema.asBoolean()) || (schema.isObject() && schema.isEmpty())) {
            return "value";
        }
        if (schema.isBoolean()) {
            throw InfercoreException.invalid("schema", "the schema at '" + pathOrRoot(path) + "' is false: no value is allowed there");
        }
        if (!schema.isObject()) {
            throw InfercoreException.invalid("schema", "every subschema must be an object or a boolean (at '" + pathOrRoot(path) + "')");
        }
        for (String keyword : NEVER_ENFORCED) {
            JsonNode v = schema.get(keyword);
            if (v != null && !(keyword.equals("uniqueItems") && !v.asBoolean())
                    && !(keyword.equals("unevaluatedProperties") && v.isBoolean() && !v.asBoolean())) {
                rules.unenforced(path, keyword);
            }
        }
        if (schema.has("$ref")) {
            schema.fieldNames().forEachRemaining(k -> {
                if (!k.equals("$ref") && !k.startsWith("$") && !ANNOTATIONS.contains(k)) {
                    rules.unenforced(path, k);
                }
            });
            return reference(schema.get("$ref").asText());
        }
        if (schema.has("allOf")) {
            return visit(SchemaMerge.allOf((ObjectNode) schema, this::resolve, path, rules), path);
        }
        if (schema.has("const")) {
            return GrammarRules.literal(schema.get("const").toString()) + " ws";
        }
        if (schema.has("enum")) {
            JsonNode values = schema.get("enum");
            if (!values.isArray() || values.isEmpty()) {
                throw InfercoreException.invalid("schema", "enum must be a non-empty array (at '" + pathOrRoot(path) + "')");
            }
            List<String> options = new ArrayList<>();
            values.forEach(v -> options.add(GrammarRules.literal(v.toString())));
            return rules.add(path + "-enum", "(" + String.join(" | ", options) + ") ws");
        }
        for (String keyword : new String[] {"anyOf", "oneOf"}) {
            JsonNode branches = schema.get(keyword);
            if (branches != null) {
                if (!branches.isArray() || branches.isEmpty()) {
                    throw InfercoreException.invalid("schema", keyword + " must be a non-empty array (at '" + pathOrRoot(path) + "')");
                }
                ObjectNode siblings = ((ObjectNode) schema).deepCopy();
                siblings.remove(keyword);
                List<String> options = new ArrayList<>();
                for (int i = 0; i < branches.size(); i++) {
                    JsonNode branch = branches.get(i);
                    JsonNode merged = siblings.isEmpty() || !branch.isObject() ? branch
                            : SchemaMerge.allOf(allOf(siblings, branch), this::resolve, path, rules);
                    options.add(visit(merged, path + "/" + keyword + "/" + i));
                }
                return rules.add(path + "-" + keyword, String.join(" | ", options));
            }
        }
        JsonNode type = schema.get("type");
        if (type != null && type.isArray()) {
            if (type.isEmpty()) {
                throw InfercoreException.invalid("schema", "type must not be an empty list (at '" + pathOrRoot(path) + "')");
            }
            List<String> options = new ArrayList<>();
            for (JsonNode t : type) {
                options.add(typed(schema, t.asText(), path));
            }
            return rules.add(path + "-types", String.join(" | ", options));
        }
        if (type != null && !type.isTextual()) {
            throw InfercoreException.invalid("schema", "type must be a string or a list of strings (at '" + pathOrRoot(path) + "')");
        }
        return typed(schema, type == null ? impliedType(schema) : type.asText(), path);
    }

    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples",
            "deprecated", "readOnly", "writeOnly", "definitions");

    private static ObjectNode allOf(JsonNode a, JsonNode b) {
        ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
        wrapper.putArray("allOf").add(a).add(b);
        return wrapper;
    }

    private static String impliedType(JsonNode schema) {
        if (has(schema, "properties", "additionalProperties", "required", "minProperties", "maxProperties")) {
            return "object";
        }
        if (has(schema, "items", "prefixItems", "minItems", "maxItems")) {
            return "array";
        }
        if (has(schema, "minLength", "maxLength", "pattern", "format")) {
            return "string";
        }
        if (has(schema, "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")) {
            return "number";
        }
        return "any";
    }

    private static boolean has(JsonNode schema, String... keywords) {
        for (String k : keywords) {
            if (schema.has(k)) {
                return true;
            }
        }
        return false;
    }

    private String typed(JsonNode schema, String type, String path) {
        return switch (type) {
            case "object" -> composites.object(schema, path);
            case "array" -> composites.array(schema, path, MAX_ITEMS);
            case "string" -> string(schema, path);
            case "integer" -> integer(schema, path);
            case "number" -> number(schema, path);
            case "boolean", "null" -> type;
            case "any" -> "value";
            default -> throw InfercoreException.invalid("schema", "schema type '" + type + "' is unknown (at '" + pathOrRoot(path) + "')");
        };
    }

    private String string(JsonNode schema, String path) {
        if (schema.has("pattern")) {
            try {
                String content = PatternGrammar.convert(schema.get("pattern").asText());
                GbnfCheck.problem("root ::= \"\\\"\" (" + content + ") \"\\\"\"\n").ifPresent(p -> {
                    throw new IllegalArgumentException(p);
                });
                lengthsUnenforced(schema, path);
                if (schema.has("format")) {
                    rules.unenforced(path, "format");
                }
                return rules.add(path + "-pattern", "\"\\\"\" (" + content + ") \"\\\"\" ws");
            } catch (PatternGrammar.Unsupported | IllegalArgumentException e) {
                rules.unenforced(path, "pattern");
            }
        }
        String format = schema.path("format").asText(null);
        if (format != null) {
            String body = StringFormats.FORMATS.get(format);
            if (body != null) {
                lengthsUnenforced(schema, path);
                StringFormats.addParts(rules);
                return rules.add(path + "-" + format, "\"\\\"\" " + body + " \"\\\"\" ws");
            }
            rules.unenforced(path, "format");
        }
        if (!schema.has("minLength") && !schema.has("maxLength")) {
            return "string";
        }
        int min = schema.path("minLength").asInt(0);
        int max = schema.has("maxLength") ? schema.get("maxLength").asInt() : -1;
        if (min < 0 || (max >= 0 && max < min)) {
            throw InfercoreException.invalid("schema", "minLength/maxLength must be non-negative and ordered (at '" + pathOrRoot(path) + "')");
        }
        if (min > MAX_LENGTH) {
            rules.unenforced(path, "minLength");
            min = 0;
        }
        if (max > MAX_LENGTH) {
            rules.unenforced(path, "maxLength");
            max = -1;
        }
        String repeat = max < 0 ? (min == 0 ? "*" : "{" + min + ",}") : "{" + min + "," + max + "}";
        return rules.add(path + "-string", "\"\\\"\" char" + repeat + " \"\\\"\" ws");
    }

    private void lengthsUnenforced(JsonNode schema, String path) {
        for (String k : new String[] {"minLength", "maxLength"}) {
            if (schema.has(k)) {
                rules.unenforced(path, k);
            }
        }
    }

    private String integer(JsonNode schema, String path) {
        Bound lo = bound(schema, path, true, true, NumericGrammar.INTEGER_LIMIT);
        Bound hi = bound(schema, path, false, true, NumericGrammar.INTEGER_LIMIT);
        if (lo == null && hi == null) {
            return "integer";
        }
        Long l = lo == null ? null : lo.exclusive ? lo.value + 1 : lo.value;
        Long h = hi == null ? null : hi.exclusive ? hi.value - 1 : hi.value;
        if (l != null && h != null && l > h) {
            throw InfercoreException.invalid("schema", "no integer lies within the bounds at '" + pathOrRoot(path) + "'");
        }
        return rules.add(path + "-int", "(" + NumericGrammar.integer(l, h) + ") ws");
    }

    private String number(JsonNode schema, String path) {
        Bound lo = bound(schema, path, true, false, NumericGrammar.NUMBER_LIMIT);
        Bound hi = bound(schema, path, false, false, NumericGrammar.NUMBER_LIMIT);
        if (lo == null && hi == null) {
            return "number";
        }
        String body = NumericGrammar.number(lo == null ? null : lo.value, lo != null && lo.exclusive,
                hi == null ? null : hi.value, hi != null && hi.exclusive);
        if (body == null) {
            throw InfercoreException.invalid("schema", "no number lies within the bounds at '" + pathOrRoot(path) + "'");
        }
        return rules.add(path + "-num", "(" + body + ") ws");
    }

    private record Bound(long value, boolean exclusive) {
    }

    /**
     * The tighter of {@code minimum}/{@code exclusiveMinimum} (or the maximum pair), rounded to
     * a whole number for integers; for numbers only whole-number bounds are enforced. Draft-04's
     * boolean {@code exclusiveMinimum} is understood. Null when unbounded or not enforceable.
     */
    private Bound bound(JsonNode schema, String path, boolean lower, boolean integer, long limit) {
        String inclusiveKey = lower ? "minimum" : "maximum";
        String exclusiveKey = lower ? "exclusiveMinimum" : "exclusiveMaximum";
        JsonNode inclusive = schema.get(inclusiveKey);
        JsonNode exclusive = schema.get(exclusiveKey);
        List<Bound> bounds = new ArrayList<>();
        if (inclusive != null && inclusive.isNumber()) {
            boolean draft4Exclusive = exclusive != null && exclusive.isBoolean() && exclusive.asBoolean();
            addBound(bounds, inclusive.decimalValue(), draft4Exclusive, lower, integer, limit, path, inclusiveKey);
        }
        if (exclusive != null && exclusive.isNumber()) {
            addBound(bounds, exclusive.decimalValue(), true, lower, integer, limit, path, exclusiveKey);
        }
        Bound best = null;
        for (Bound b : bounds) {
            if (best == null || tighter(b, best, lower)) {
                best = b;
            }
        }
        return best;
    }

    private void addBound(List<Bound> out, BigDecimal value, boolean exclusive, boolean lower,
                          boolean integer, long limit, String path, String key) {
        BigDecimal whole = value.setScale(0, lower ? RoundingMode.CEILING : RoundingMode.FLOOR);
        boolean isWhole = whole.compareTo(value) == 0;
        if (whole.abs().compareTo(BigDecimal.valueOf(limit)) > 0 || (!integer && !isWhole)) {
            rules.unenforced(path, key);
            return;
        }
        // An integer above 2.5 is at least 3: the rounded bound is then inclusive.
        out.add(new Bound(whole.longValueExact(), exclusive && isWhole));
    }

    private static boolean tighter(Bound a, Bound b, boolean lower) {
        if (a.value != b.value) {
            return lower ? a.value > b.value : a.value < b.value;
        }
        return a.exclusive && !b.exclusive;
    }

    private String reference(String ref) {
        String ruleName = "ref-" + GrammarRules.sanitize(ref.equals("#") ? "root" : ref.substring(1));
        if (rules.has(ruleName) || refsInProgress.contains(ruleName)) {
            return ruleName;
        }
        JsonNode target = resolve(ref);
        refsInProgress.add(ruleName);
        String body = visit(target, ref.substring(1));
        refsInProgress.remove(ruleName);
        rules.put(ruleName, body);
        return ruleName;
    }

    /** The subschema a local {@code $ref} points to; a 400 when it is not local or points to nothing. */
    JsonNode resolve(String ref) {
        if (!ref.startsWith("#")) {
            throw InfercoreException.invalid("schema", "only local $ref (#/$defs/...) is supported, got " + ref);
        }
        JsonNode target;
        try {
            target = ref.equals("#") ? root : root.at(JsonPointer.compile(ref.substring(1)));
        } catch (IllegalArgumentException e) {
            throw InfercoreException.invalid("schema", "$ref " + ref + " is not a JSON pointer");
        }
        if (target == null || target.isMissingNode()) {
            throw InfercoreException.invalid("schema", "$ref " + ref + " points to nothing");
        }
        return target;
    }

    private static String pathOrRoot(String path) {
        return path.isEmpty() ? "/" : path;
    }
}

package io.infercore.engine.llamacpp;

import com.fasterxml.jackson.databind.JsonNode;
import io.infercore.error.InfercoreException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Objects and arrays for {@link JsonSchemaGrammar}. An object is written with its required
 * properties first, then the optional ones in declaration order, then any additional ones; a
 * small state machine (which optional property comes next, how many were written) enforces
 * {@code minProperties} / {@code maxProperties}. An array is its {@code prefixItems}, then
 * {@code items}, counted against {@code minItems} / {@code maxItems}.
 */
final class CompositeGrammar {

    private static final String COMMA = "\",\" ws ";
    private static final int UNBOUNDED = Integer.MAX_VALUE;

    private final GrammarRules rules;
    private final BiFunction<JsonNode, String, String> visit;

    CompositeGrammar(GrammarRules rules, BiFunction<JsonNode, String, String> visit) {
        this.rules = rules;
        this.visit = visit;
    }

    // ---- objects --------------------------------------------------------------------------

    String object(JsonNode schema, String path) {
        JsonNode properties = schema.path("properties");
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        JsonNode additional = schema.get("additionalProperties");
        boolean openEnded = !properties.isObject() || properties.isEmpty();
        String extraValue = null;
        if (additional != null && !(additional.isBoolean() && !additional.asBoolean())) {
            extraValue = visit.apply(additional, path + "/additionalProperties");
        } else if (additional == null && openEnded) {
            extraValue = "value"; // {"type":"object"}: any object
        }
        Map<String, String> declared = new LinkedHashMap<>();
        properties.fields().forEachRemaining(p -> {
            if (!(p.getValue().isBoolean() && !p.getValue().asBoolean())) {
                declared.put(p.getKey(), visit.apply(p.getValue(), path + "/properties/" + p.getKey()));
            }
        });
        List<String> mandatory = new ArrayList<>();
        for (String name : required) {
            String value = declared.get(name);
            if (value == null) {
                value = extraValue != null ? extraValue : "value";
            }
            mandatory.add(pair(name, value));
        }
        List<String> optional = new ArrayList<>();
        declared.forEach((name, value) -> {
            if (!required.contains(name)) {
                optional.add(pair(name, value));
            }
        });
        String extraPair = extraValue == null ? null : extraKey(new ArrayList<>(declared.keySet()), required, path)
                + " \":\" ws " + extraValue;
        int minProps = schema.path("minProperties").asInt(0);
        int maxProps = schema.has("maxProperties") ? schema.get("maxProperties").asInt() : UNBOUNDED;
        int lo = Math.max(0, minProps - mandatory.size());
        int hi = maxProps == UNBOUNDED ? UNBOUNDED : maxProps - mandatory.size();
        if (hi < lo || (extraPair == null && lo > optional.size())) {
            throw InfercoreException.invalid("schema", "the object at '" + (path.isEmpty() ? "/" : path)
                    + "' cannot satisfy minProperties/maxProperties with its properties");
        }
        StringBuilder body = new StringBuilder("\"{\" ws ");
        body.append(String.join(" " + COMMA, mandatory));
        String tail = new Tail(path, optional, extraPair, !mandatory.isEmpty(), lo, hi).state(0, 0);
        body.append(' ').append(tail).append(" \"}\" ws");
        return rules.add(path + "-object", body.toString());
    }

    private static String pair(String name, String value) {
        return GrammarRules.literal(jsonString(name)) + " ws \":\" ws " + value;
    }

    /** A key for an additional property: any string but the declared names (those would be validated as declared). */
    private String extraKey(List<String> declared, Set<String> required, String path) {
        Set<String> names = new LinkedHashSet<>(declared);
        names.addAll(required);
        if (names.isEmpty()) {
            return "string";
        }
        if (names.stream().anyMatch(n -> n.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20) || n.isEmpty())) {
            return "string";
        }
        return rules.add(path + "-extra-key", "\"\\\"\" (" + notIn(new TreeMap<>(trie(names))) + ") \"\\\"\" ws");
    }

    private static Map<Integer, Set<String>> trie(Set<String> names) {
        Map<Integer, Set<String>> byFirst = new HashMap<>();
        for (String n : names) {
            if (!n.isEmpty()) {
                byFirst.computeIfAbsent(n.codePointAt(0), k -> new LinkedHashSet<>()).add(n);
            }
        }
        return byFirst;
    }

    /** String contents that are none of the names in {@code children} (by first code point). */
    private static String notIn(Map<Integer, Set<String>> children) {
        List<String> alts = new ArrayList<>();
        StringBuilder excluded = new StringBuilder();
        for (Map.Entry<Integer, Set<String>> child : children.entrySet()) {
            Set<String> rest = new LinkedHashSet<>();
            for (String n : child.getValue()) {
                rest.add(n.substring(Character.charCount(child.getKey())));
            }
            boolean endsHere = rest.remove("");
            Map<Integer, Set<String>> grandChildren = trie(rest);
            String deeper = notIn(new TreeMap<>(grandChildren));
            alts.add(GrammarRules.literal(new String(Character.toChars(child.getKey())))
                    + (endsHere ? " (" + deeper + ")" : " (" + deeper + " | \"\")"));
            excluded.append(String.format("\\U%08X", child.getKey()));
        }
        alts.add("[^\"\\\\\\x00-\\x1F\\x7F" + excluded + "] char*");
        return String.join(" | ", alts);
    }

    /** Optional and additional properties after the required ones, counted against [lo, hi]. */
    private final class Tail {
        private final String path;
        private final List<String> optional;
        private final String extra;
        private final boolean afterRequired;
        private final int lo;
        private final int hi;
        private final Map<String, String> states = new HashMap<>();

        Tail(String path, List<String> optional, String extra, boolean afterRequired, int lo, int hi) {
            this.path = path;
            this.optional = optional;
            this.extra = extra;
            this.afterRequired = afterRequired;
            this.lo = lo;
            this.hi = hi;
        }

        /** The grammar from optional property {@code i} on, {@code written} of them (or extras) so far. */
        String state(int i, int written) {
            int count = hi == UNBOUNDED ? Math.min(written, Math.max(lo, 1)) : written;
            String key = i + "/" + count;
            String known = states.get(key);
            if (known != null) {
                return known;
            }
            String sep = count == 0 && !afterRequired ? "" : COMMA;
            String body;
            if (i == optional.size()) {
                body = extras(count, sep);
            } else {
                List<String> alts = new ArrayList<>();
                if (count < hi) {
                    alts.add(sep + optional.get(i) + " " + state(i + 1, count + 1));
                }
                if (count + (optional.size() - i - 1) >= lo || extra != null) {
                    alts.add(state(i + 1, count));
                }
                body = String.join(" | ", alts);
            }
            String name = rules.add(path + "-tail", body.isBlank() ? "\"\"" : body);
            states.put(key, name);
            return name;
        }

        private String extras(int count, String sep) {
            int need = Math.max(0, lo - count);
            int room = hi == UNBOUNDED ? UNBOUNDED : hi - count;
            if (extra == null || room == 0) {
                return "\"\"";
            }
            String upTo = room == UNBOUNDED ? "" : String.valueOf(room - 1);
            if (sep.isEmpty()) {
                String more = "(" + COMMA + extra + "){" + Math.max(0, need - 1) + "," + upTo + "}";
                return need == 0 ? "(" + extra + " " + more + ")?" : extra + " " + more;
            }
            return "(" + COMMA + extra + "){" + need + "," + (room == UNBOUNDED ? "" : String.valueOf(room)) + "}";
        }
    }

    // ---- arrays ---------------------------------------------------------------------------

    String array(JsonNode schema, String path, int maxItems) {
        List<String> prefix = new ArrayList<>();
        JsonNode items = schema.get("items");
        JsonNode prefixItems = schema.has("prefixItems") ? schema.get("prefixItems") : items != null && items.isArray() ? items : null;
        JsonNode rest = prefixItems == null ? items : schema.has("prefixItems") ? items : schema.get("additionalItems");
        if (prefixItems != null) {
            for (int i = 0; i < prefixItems.size(); i++) {
                prefix.add(visit.apply(prefixItems.get(i), path + "/prefixItems/" + i));
            }
        }
        String restItem;
        if (rest == null) {
            restItem = prefixItems == null ? "value" : null; // after a tuple, nothing more (fewer documents, never more)
        } else if (rest.isBoolean() && !rest.asBoolean()) {
            restItem = null;
        } else {
            restItem = visit.apply(rest, path + "/items");
        }
        int lo = schema.path("minItems").asInt(0);
        int hi = schema.has("maxItems") ? schema.get("maxItems").asInt() : UNBOUNDED;
        if (lo < 0 || hi < lo) {
            throw InfercoreException.invalid("schema", "minItems/maxItems must be non-negative and ordered (at '"
                    + (path.isEmpty() ? "/" : path) + "')");
        }
        if (lo > maxItems) {
            throw InfercoreException.invalid("schema", "minItems above " + maxItems + " cannot be generated (at '"
                    + (path.isEmpty() ? "/" : path) + "')");
        }
        if (hi != UNBOUNDED && hi > maxItems) {
            rules.unenforced(path, "maxItems");
            hi = UNBOUNDED;
        }
        if (restItem == null && lo > prefix.size()) {
            throw InfercoreException.invalid("schema", "the array at '" + (path.isEmpty() ? "/" : path)
                    + "' cannot have minItems items");
        }
        return rules.add(path + "-array", "\"[\" ws " + elements(0, prefix, restItem, lo, hi) + " \"]\" ws");
    }

    private static String elements(int i, List<String> prefix, String rest, int lo, int hi) {
        String sep = i == 0 ? "" : COMMA;
        if (i == hi || (i >= prefix.size() && rest == null)) {
            return "\"\"";
        }
        if (i < prefix.size()) {
            String seq = sep + prefix.get(i) + " " + elements(i + 1, prefix, rest, lo, hi);
            return i < lo ? seq : "(" + seq + ")?";
        }
        int need = Math.max(0, lo - i);
        int room = hi == UNBOUNDED ? UNBOUNDED : hi - i;
        if (i == 0) {
            String more = "(" + COMMA + rest + ")" + repeat(Math.max(0, need - 1), room == UNBOUNDED ? UNBOUNDED : room - 1);
            return need == 0 ? "(" + rest + " " + more + ")?" : rest + " " + more;
        }
        return "(" + COMMA + rest + ")" + repeat(need, room);
    }

    private static String repeat(int min, int max) {
        if (max == UNBOUNDED) {
            return min == 0 ? "*" : "{" + min + ",}";
        }
        return "{" + min + "," + max + "}";
    }

    private static String jsonString(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }
}

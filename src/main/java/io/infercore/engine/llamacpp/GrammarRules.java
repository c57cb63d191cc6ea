package io.infercore.engine.llamacpp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of one grammar being built, with the JSON primitives ({@code ws}, {@code string},
 * {@code value}, ...) added at the end exactly when some rule refers to them, so that no rule
 * can be left undefined; and the schema keywords the grammar could not enforce.
 */
final class GrammarRules {

    static final int MAX_RULES = 3000;

    private static final Map<String, String> PRIMITIVES = new LinkedHashMap<>();
    private static final Pattern IDENTIFIER = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|\\[(?:\\\\.|[^\\]\\\\])*]|([A-Za-z0-9-]+)");

    static {
        PRIMITIVES.put("ws", "| \" \" | \"\\n\" [ \\t]{0,20}");
        PRIMITIVES.put("char", "[^\"\\\\\\x7F\\x00-\\x1F] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4})");
        PRIMITIVES.put("string", "\"\\\"\" char* \"\\\"\" ws");
        PRIMITIVES.put("integer", "(\"-\"? ([0-9] | [1-9] [0-9]{1,15})) ws");
        PRIMITIVES.put("number", "(\"-\"? ([0-9] | [1-9] [0-9]{1,15})) (\".\" [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})? ws");
        PRIMITIVES.put("boolean", "(\"true\" | \"false\") ws");
        PRIMITIVES.put("null", "\"null\" ws");
        PRIMITIVES.put("value", "object | array | string | number | boolean | null");
        PRIMITIVES.put("object", "\"{\" ws ( string \":\" ws value (\",\" ws string \":\" ws value)* )? \"}\" ws");
        PRIMITIVES.put("array", "\"[\" ws ( value (\",\" ws value)* )? \"]\" ws");
    }

    private final Map<String, String> rules = new LinkedHashMap<>();
    private final Set<String> unenforced = new TreeSet<>();
    private int counter;

    /** Adds a rule named after {@code hint}; returns its name. */
    String add(String hint, String body) {
        String name = sanitize(hint) + "-" + (counter++);
        put(name, body);
        return name;
    }

    void put(String name, String body) {
        if (rules.size() >= MAX_RULES) {
            throw new IllegalStateException("too many rules");
        }
        rules.put(name, body);
    }

    boolean has(String name) {
        return rules.containsKey(name);
    }

    /** Records that {@code keyword} at schema location {@code path} is left to the validator. */
    void unenforced(String path, String keyword) {
        unenforced.add(path + "/" + keyword);
    }

    List<String> unenforced() {
        return List.copyOf(unenforced);
    }

    String render(String root) {
        StringBuilder out = new StringBuilder("root ::= ").append(root).append('\n');
        rules.forEach((name, body) -> out.append(name).append(" ::= ").append(body).append('\n'));
        Set<String> needed = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>();
        todo.add(root);
        todo.addAll(rules.values());
        while (!todo.isEmpty()) {
            Matcher m = IDENTIFIER.matcher(todo.remove(todo.size() - 1));
            while (m.find()) {
                String id = m.group(1);
                if (id != null && PRIMITIVES.containsKey(id) && !rules.containsKey(id) && needed.add(id)) {
                    todo.add(PRIMITIVES.get(id));
                }
            }
        }
        PRIMITIVES.keySet().stream().filter(needed::contains)
                .forEach(p -> out.append(p).append(" ::= ").append(PRIMITIVES.get(p)).append('\n'));
        return out.toString();
    }

    /** A GBNF string literal of {@code text}. */
    static String literal(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\x%02X", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    static String sanitize(String name) {
        String s = name.replaceAll("[^A-Za-z0-9-]+", "-").replaceAll("^-+", "");
        s = s.isEmpty() ? "r" : s;
        return s.length() > 40 ? s.substring(s.length() - 40).replaceAll("^-+", "") : s;
    }
}

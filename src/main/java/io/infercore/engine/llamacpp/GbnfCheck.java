package io.infercore.engine.llamacpp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that a GBNF grammar is one llama.cpp accepts, before any token is generated. llama.cpp
 * (as bundled by java-llama.cpp 4.2) only prints "failed to parse grammar" on the native stderr
 * and then samples with no grammar at all, so a malformed grammar would silently become
 * unconstrained output. This is an independent reading of the same syntax: rules
 * {@code name ::= alternatives}, string literals, character classes, {@code .}, groups,
 * {@code * + ? {m} {m,} {m,n}}, comments; then the checks llama.cpp makes after parsing: every
 * referenced rule is defined, a {@code root} rule exists, no rule is left-recursive.
 */
final class GbnfCheck {

    /** Newer llama.cpp refuses larger bounded repetitions; staying under it keeps grammars portable. */
    static final int MAX_REPETITION = 2000;

    private final String src;
    private int pos;
    private final Map<String, List<List<Item>>> rules = new LinkedHashMap<>();
    private final Set<String> referenced = new HashSet<>();

    /** One element of a sequence: a rule reference, a terminal, or a group, with its repetition bounds. */
    private record Item(String ref, List<List<Item>> group, boolean nullableTerminal, int min, boolean unbounded) {
        Item(String ref, List<List<Item>> group, boolean nullableTerminal) {
            this(ref, group, nullableTerminal, 1, false);
        }
    }

    private GbnfCheck(String src) {
        this.src = src;
    }

    /** Empty when llama.cpp would accept {@code grammar}; otherwise why not. */
    static Optional<String> problem(String grammar) {
        GbnfCheck c = new GbnfCheck(grammar);
        try {
            c.parse();
            c.semantics();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private void parse() {
        space(true);
        while (pos < src.length()) {
            String name = name();
            space(false);
            expect("::=");
            space(true);
            List<List<Item>> body = alternatives(false);
            rules.merge(name, body, (a, b) -> {
                List<List<Item>> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            });
            if (pos < src.length() && src.charAt(pos) == '\r') {
                pos++;
            }
            if (pos < src.length() && src.charAt(pos) != '\n') {
                throw fail("expecting newline or end after rule '" + name + "'");
            }
            space(true);
        }
    }

    private List<List<Item>> alternatives(boolean nested) {
        List<List<Item>> alts = new ArrayList<>();
        alts.add(sequence(nested));
        while (pos < src.length() && src.charAt(pos) == '|') {
            pos++;
            space(true);
            alts.add(sequence(nested));
        }
        return alts;
    }

    private List<Item> sequence(boolean nested) {
        List<Item> seq = new ArrayList<>();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            Item item;
            if (c == '"') {
                pos++;
                int chars = 0;
                while (pos < src.length() && src.charAt(pos) != '"') {
                    character();
                    chars++;
                }
                expect("\"");
                item = new Item(null, null, chars == 0);
            } else if (c == '[') {
                pos++;
                if (pos < src.length() && src.charAt(pos) == '^') {
                    pos++;
                }
                int ranges = 0;
                while (pos < src.length() && src.charAt(pos) != ']') {
                    character();
                    if (pos + 1 < src.length() && src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
                        pos++;
                        character();
                    }
                    ranges++;
                }
                expect("]");
                if (ranges == 0) {
                    throw fail("empty character class");
                }
                item = new Item(null, null, false);
            } else if (c == '.') {
                pos++;
                item = new Item(null, null, false);
            } else if (isWordChar(c)) {
                String ref = name();
                referenced.add(ref);
                item = new Item(ref, null, false);
            } else if (c == '(') {
                pos++;
                space(true);
                List<List<Item>> group = alternatives(true);
                expect(")");
                item = new Item(null, group, false);
            } else if (c == '*' || c == '+' || c == '?' || c == '{') {
                if (seq.isEmpty()) {
                    throw fail("expecting preceding item to '" + c + "'");
                }
                Item last = seq.remove(seq.size() - 1);
                int[] bounds = repetition();
                seq.add(new Item(last.ref(), last.group(), last.nullableTerminal(), Math.min(last.min(), bounds[0]),
                        last.unbounded() || bounds[1] < 0));
                space(nested);
                continue;
            } else {
                break;
            }
            seq.add(item);
            space(nested);
        }
        return seq;
    }

    /** Parses a repetition operator; returns its minimum and maximum count (-1: unbounded). */
    private int[] repetition() {
        char c = src.charAt(pos++);
        if (c != '{') {
            return new int[] {c == '+' ? 1 : 0, c == '?' ? 1 : -1};
        }
        space(false);
        int min = number();
        int max = min;
        space(false);
        if (pos < src.length() && src.charAt(pos) == ',') {
            pos++;
            space(false);
            max = pos < src.length() && Character.isDigit(src.charAt(pos)) ? number() : -1;
            space(false);
        }
        expect("}");
        if (max >= 0 && max < min) {
            throw fail("repetition {" + min + "," + max + "} has its maximum below its minimum");
        }
        if (Math.max(min, max) > MAX_REPETITION) {
            throw fail("repetition count above " + MAX_REPETITION);
        }
        return new int[] {min, max};
    }

    private int number() {
        int start = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        if (start == pos || pos - start > 9) {
            throw fail("expecting a repetition count");
        }
        return Integer.parseInt(src.substring(start, pos));
    }

    /** One (possibly escaped) character of a literal or a class. */
    private void character() {
        if (pos >= src.length()) {
            throw fail("unexpected end of input");
        }
        char c = src.charAt(pos++);
        if (c == '\\') {
            if (pos >= src.length()) {
                throw fail("unexpected end of input after '\\'");
            }
            char e = src.charAt(pos++);
            switch (e) {
                case 'x' -> hex(2);
                case 'u' -> hex(4);
                case 'U' -> hex(8);
                case 't', 'r', 'n', '\\', '"', '[', ']' -> { }
                default -> throw fail("unknown escape '\\" + e + "'");
            }
        } else if (c == '\n' || c == '\r') {
            throw fail("line break inside a literal or class");
        }
    }

    private void hex(int digits) {
        for (int i = 0; i < digits; i++) {
            if (pos >= src.length() || Character.digit(src.charAt(pos), 16) < 0) {
                throw fail("expecting " + digits + " hex digits");
            }
            pos++;
        }
    }

    private String name() {
        int start = pos;
        while (pos < src.length() && isWordChar(src.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw fail("expecting a rule name");
        }
        return src.substring(start, pos);
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    }

    private void space(boolean newlineOk) {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || (newlineOk && (c == '\n' || c == '\r'))) {
                pos++;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private void expect(String token) {
        if (!src.startsWith(token, pos)) {
            throw fail("expecting '" + token + "'");
        }
        pos += token.length();
    }

    private IllegalArgumentException fail(String why) {
        int end = Math.min(src.length(), pos + 20);
        return new IllegalArgumentException(why + " at offset " + pos + " (near '"
                + src.substring(Math.min(pos, src.length()), end).replace("\n", "\\n") + "')");
    }

    private void semantics() {
        for (String ref : referenced) {
            if (!rules.containsKey(ref)) {
                throw new IllegalArgumentException("undefined rule '" + ref + "'");
            }
        }
        if (!rules.containsKey("root")) {
            throw new IllegalArgumentException("no 'root' rule");
        }
        Map<String, Boolean> nullable = nullableRules();
        rules.forEach((name, alts) -> unboundedNullable(name, alts, nullable));
        Map<String, Set<String>> leftmost = new HashMap<>();
        rules.forEach((name, alts) -> {
            Set<String> first = new HashSet<>();
            firstRefs(alts, nullable, first);
            leftmost.put(name, first);
        });
        for (String start : rules.keySet()) {
            if (reaches(start, start, leftmost, new HashSet<>())) {
                throw new IllegalArgumentException("rule '" + start + "' is left-recursive");
            }
        }
    }

    private Map<String, Boolean> nullableRules() {
        Map<String, Boolean> nullable = new HashMap<>();
        rules.keySet().forEach(r -> nullable.put(r, false));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<String, List<List<Item>>> rule : rules.entrySet()) {
                if (!nullable.get(rule.getKey()) && nullable(rule.getValue(), nullable)) {
                    nullable.put(rule.getKey(), true);
                    changed = true;
                }
            }
        }
        return nullable;
    }

    private static boolean nullable(List<List<Item>> alts, Map<String, Boolean> nullable) {
        return alts.stream().anyMatch(seq -> seq.stream().allMatch(i -> nullable(i, nullable)));
    }

    private static boolean nullable(Item i, Map<String, Boolean> nullable) {
        if (i.min() == 0 || i.nullableTerminal()) {
            return true;
        }
        if (i.ref() != null) {
            return nullable.getOrDefault(i.ref(), false);
        }
        return i.group() != null && nullable(i.group(), nullable);
    }

    /**
     * llama.cpp expands {@code x*} into {@code r ::= x r |}: left-recursive when x can match
     * nothing, so it refuses such a grammar.
     */
    private static void unboundedNullable(String rule, List<List<Item>> alts, Map<String, Boolean> nullable) {
        for (List<Item> seq : alts) {
            for (Item i : seq) {
                boolean bodyNullable = i.nullableTerminal() || (i.ref() != null && nullable.getOrDefault(i.ref(), false))
                        || (i.group() != null && nullable(i.group(), nullable));
                if (i.unbounded() && bodyNullable) {
                    throw new IllegalArgumentException("rule '" + rule + "' repeats without bound an item that can match nothing");
                }
                if (i.group() != null) {
                    unboundedNullable(rule, i.group(), nullable);
                }
            }
        }
    }

    /** The rules that can come first in {@code alts}, looking past items that can match nothing. */
    private static void firstRefs(List<List<Item>> alts, Map<String, Boolean> nullable, Set<String> out) {
        for (List<Item> seq : alts) {
            for (Item i : seq) {
                if (i.ref() != null) {
                    out.add(i.ref());
                } else if (i.group() != null) {
                    firstRefs(i.group(), nullable, out);
                }
                if (!nullable(i, nullable)) {
                    break;
                }
            }
        }
    }

    private static boolean reaches(String from, String target, Map<String, Set<String>> edges, Set<String> seen) {
        for (String next : edges.getOrDefault(from, Set.of())) {
            if (next.equals(target)) {
                return true;
            }
            if (seen.add(next) && reaches(next, target, edges, seen)) {
                return true;
            }
        }
        return false;
    }
}

package io.infercore.engine.llamacpp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Test-side reading of a GBNF grammar that says whether a text is in its language: a parser of
 * the same syntax as llama.cpp (literals, classes, {@code .}, groups, repetitions) and a matcher
 * that follows every alternative (the set of positions each part can end at). Written for the
 * tests, independently of {@link GbnfCheck}, so that a grammar is judged by what it accepts.
 */
final class GbnfMatcher {

    private interface Node {
    }

    private record Lit(int[] cps) implements Node {
    }

    private record Cls(List<int[]> ranges, boolean negated) implements Node {
    }

    private record Ref(String name) implements Node {
    }

    private record Alt(List<List<Node>> alts) implements Node {
    }

    private record Rep(Node item, int min, int max) implements Node {
    }

    private final Map<String, Alt> rules = new HashMap<>();
    private boolean prefixMode;
    private final String src;
    private int pos;

    GbnfMatcher(String gbnf) {
        this.src = gbnf;
        ws(true);
        while (pos < src.length()) {
            String name = name();
            ws(false);
            pos += 3; // ::=
            ws(true);
            rules.put(name, alternates(false));
            ws(true);
        }
    }

    boolean matches(String text) {
        prefixMode = false;
        int[] cps = text.codePoints().toArray();
        return ends(rules.get("root"), cps, 0, new HashMap<>()).contains(cps.length);
    }

    /** Whether some text the grammar accepts starts with {@code text}. */
    boolean matchesPrefix(String text) {
        prefixMode = true;
        int[] cps = text.codePoints().toArray();
        return ends(rules.get("root"), cps, 0, new HashMap<>()).contains(cps.length);
    }

    private Set<Integer> ends(Node n, int[] in, int at, Map<String, Set<Integer>> memo) {
        Set<Integer> out = new TreeSet<>();
        if (prefixMode && at == in.length) {
            out.add(at);
            return out;
        }
        if (n instanceof Lit l) {
            int available = Math.min(l.cps().length, in.length - at);
            for (int i = 0; i < available; i++) {
                if (in[at + i] != l.cps()[i]) {
                    return out;
                }
            }
            if (available == l.cps().length || prefixMode) {
                out.add(at + available);
            }
        } else if (n instanceof Cls c) {
            if (at < in.length) {
                boolean hit = c.ranges().stream().anyMatch(r -> r[0] <= in[at] && in[at] <= r[1]);
                if (hit != c.negated()) {
                    out.add(at + 1);
                }
            }
        } else if (n instanceof Ref r) {
            String key = r.name() + "@" + at;
            Set<Integer> known = memo.get(key);
            if (known != null) {
                return known;
            }
            memo.put(key, Set.of());
            Alt body = rules.get(r.name());
            if (body == null) {
                throw new IllegalStateException("undefined rule " + r.name());
            }
            out = ends(body, in, at, memo);
            memo.put(key, out);
        } else if (n instanceof Alt a) {
            for (List<Node> seq : a.alts()) {
                Set<Integer> cur = new TreeSet<>(Set.of(at));
                for (Node item : seq) {
                    Set<Integer> next = new TreeSet<>();
                    for (int p : cur) {
                        next.addAll(ends(item, in, p, memo));
                    }
                    cur = next;
                }
                out.addAll(cur);
            }
        } else if (n instanceof Rep r) {
            Set<Integer> cur = new TreeSet<>(Set.of(at));
            for (int i = 0; i < r.min() && !cur.isEmpty(); i++) {
                cur = step(r.item(), in, cur, memo);
            }
            out.addAll(cur);
            if (r.max() == Integer.MAX_VALUE) {
                Set<Integer> frontier = cur;
                while (!frontier.isEmpty()) {
                    Set<Integer> next = step(r.item(), in, frontier, memo);
                    next.removeAll(out);
                    out.addAll(next);
                    frontier = next;
                }
            } else {
                for (int i = r.min(); i < r.max() && !cur.isEmpty(); i++) {
                    cur = step(r.item(), in, cur, memo);
                    out.addAll(cur);
                }
            }
        }
        return out;
    }

    private Set<Integer> step(Node item, int[] in, Set<Integer> from, Map<String, Set<Integer>> memo) {
        Set<Integer> next = new TreeSet<>();
        for (int p : from) {
            next.addAll(ends(item, in, p, memo));
        }
        return next;
    }

    private Alt alternates(boolean nested) {
        List<List<Node>> alts = new ArrayList<>();
        alts.add(sequence(nested));
        while (pos < src.length() && src.charAt(pos) == '|') {
            pos++;
            ws(true);
            alts.add(sequence(nested));
        }
        return new Alt(alts);
    }

    private List<Node> sequence(boolean nested) {
        List<Node> seq = new ArrayList<>();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                List<Integer> cps = new ArrayList<>();
                while (src.charAt(pos) != '"') {
                    cps.add(chr());
                }
                pos++;
                seq.add(new Lit(cps.stream().mapToInt(Integer::intValue).toArray()));
            } else if (c == '[') {
                pos++;
                boolean neg = src.charAt(pos) == '^';
                if (neg) {
                    pos++;
                }
                List<int[]> ranges = new ArrayList<>();
                while (src.charAt(pos) != ']') {
                    int from = chr();
                    int to = from;
                    if (src.charAt(pos) == '-' && src.charAt(pos + 1) != ']') {
                        pos++;
                        to = chr();
                    }
                    ranges.add(new int[] {from, to});
                }
                pos++;
                seq.add(new Cls(ranges, neg));
            } else if (c == '.') {
                pos++;
                seq.add(new Cls(List.of(new int[] {'\n', '\n'}), true));
            } else if (c == '(') {
                pos++;
                ws(true);
                seq.add(alternates(true));
                pos++;
            } else if (c == '*' || c == '+' || c == '?' || c == '{') {
                Node last = seq.remove(seq.size() - 1);
                int min;
                int max;
                pos++;
                if (c == '{') {
                    int close = src.indexOf('}', pos);
                    String[] parts = src.substring(pos, close).split(",", -1);
                    min = Integer.parseInt(parts[0].trim());
                    max = parts.length == 1 ? min : parts[1].isBlank() ? Integer.MAX_VALUE : Integer.parseInt(parts[1].trim());
                    pos = close + 1;
                } else {
                    min = c == '+' ? 1 : 0;
                    max = c == '?' ? 1 : Integer.MAX_VALUE;
                }
                seq.add(new Rep(last, min, max));
            } else if (Character.isLetterOrDigit(c) || c == '-') {
                seq.add(new Ref(name()));
            } else {
                break;
            }
            ws(nested);
        }
        return seq;
    }

    private int chr() {
        char c = src.charAt(pos++);
        if (c != '\\') {
            int cp = src.codePointAt(pos - 1);
            pos += Character.charCount(cp) - 1;
            return cp;
        }
        char e = src.charAt(pos++);
        return switch (e) {
            case 'x' -> hex(2);
            case 'u' -> hex(4);
            case 'U' -> hex(8);
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'r' -> '\r';
            default -> e;
        };
    }

    private int hex(int n) {
        int v = Integer.parseInt(src.substring(pos, pos + n), 16);
        pos += n;
        return v;
    }

    private String name() {
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '-')) {
            pos++;
        }
        return src.substring(start, pos);
    }

    private void ws(boolean newlines) {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || (newlines && (c == '\n' || c == '\r'))) {
                pos++;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }
}

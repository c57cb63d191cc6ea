package io.infercore.engine.llamacpp;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of code points for {@link PatternGrammar}, rendered as a GBNF item that writes each of
 * them as a JSON string writes it: plain where JSON allows, {@code \"} and {@code \\} escaped,
 * control characters left out (fewer strings, never a wrong one).
 */
final class CharSet {

    private static final int PRINTABLE_FROM = 0x20;
    private static final int PRINTABLE_TO = 0x7E;

    /** Sorted, disjoint, non-adjacent inclusive ranges. */
    private final List<int[]> ranges = new ArrayList<>();

    static CharSet of(int c) {
        return range(c, c);
    }

    static CharSet range(int from, int to) {
        CharSet s = new CharSet();
        s.add(from, to);
        return s;
    }

    /** Printable ASCII: what {@code .} and negations stand for here. */
    static CharSet printable() {
        return range(PRINTABLE_FROM, PRINTABLE_TO);
    }

    CharSet plus(CharSet other) {
        addAll(other);
        return this;
    }

    void addAll(CharSet other) {
        other.ranges.forEach(r -> add(r[0], r[1]));
    }

    /** Printable ASCII minus this set. */
    CharSet complement() {
        CharSet out = new CharSet();
        int next = PRINTABLE_FROM;
        for (int[] r : ranges) {
            if (r[0] > next) {
                out.add(next, Math.min(r[0] - 1, PRINTABLE_TO));
            }
            next = Math.max(next, r[1] + 1);
        }
        if (next <= PRINTABLE_TO) {
            out.add(next, PRINTABLE_TO);
        }
        return out;
    }

    /** The code point when this set holds exactly one, else -1. */
    int single() {
        return ranges.size() == 1 && ranges.get(0)[0] == ranges.get(0)[1] ? ranges.get(0)[0] : -1;
    }

    private void add(int from, int to) {
        List<int[]> merged = new ArrayList<>();
        int[] n = {from, to};
        for (int[] r : ranges) {
            if (r[1] + 1 < n[0] || n[1] + 1 < r[0]) {
                merged.add(r);
            } else {
                n = new int[] {Math.min(r[0], n[0]), Math.max(r[1], n[1])};
            }
        }
        merged.add(n);
        merged.sort((a, b) -> Integer.compare(a[0], b[0]));
        ranges.clear();
        ranges.addAll(merged);
    }

    private boolean contains(int c) {
        return ranges.stream().anyMatch(r -> r[0] <= c && c <= r[1]);
    }

    /** The GBNF item; an {@link IllegalArgumentException} when no character is left to write. */
    String render() {
        List<String> alts = new ArrayList<>();
        StringBuilder cls = new StringBuilder();
        int count = 0;
        for (int[] r : ranges) {
            int lo = Math.max(r[0], PRINTABLE_FROM);
            for (int[] piece : splitOut(lo, r[1])) {
                cls.append(gbnfChar(piece[0]));
                if (piece[1] > piece[0]) {
                    cls.append('-').append(gbnfChar(piece[1]));
                }
                count += piece[1] - piece[0] + 1;
            }
        }
        if (count > 0) {
            alts.add("[" + cls + "]");
        }
        if (contains('"')) {
            alts.add("\"\\\\\\\"\"");
        }
        if (contains('\\')) {
            alts.add("\"\\\\\\\\\"");
        }
        if (alts.isEmpty()) {
            throw new IllegalArgumentException("a character class no JSON string character can match");
        }
        return alts.size() == 1 ? alts.get(0) : "(" + String.join(" | ", alts) + ")";
    }

    /** [lo, hi] without DEL, the quote and the backslash (written escaped instead). */
    private static List<int[]> splitOut(int lo, int hi) {
        List<int[]> out = new ArrayList<>();
        int start = lo;
        for (int c = lo; c <= hi && c >= 0; c++) {
            boolean excluded = c == '"' || c == '\\' || c == 0x7F;
            if (excluded) {
                if (c > start) {
                    out.add(new int[] {start, c - 1});
                }
                start = c + 1;
            }
            if (c > 0x7F) { // nothing to exclude above ASCII
                break;
            }
        }
        if (start <= hi) {
            out.add(new int[] {start, hi});
        }
        return out;
    }

    private static String gbnfChar(int c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return String.valueOf((char) c);
        }
        if (c <= 0xFF) {
            return String.format("\\x%02X", c);
        }
        return c <= 0xFFFF ? String.format("\\u%04X", c) : String.format("\\U%08X", c);
    }
}

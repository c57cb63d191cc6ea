package io.infercore.engine.llamacpp;

import java.util.ArrayList;
import java.util.List;

/**
 * GBNF expressions for JSON numbers within bounds. Integers of any range, negative and
 * exclusive bounds included, are spelled digit by digit ({@code [5-9] | [1-9] [0-9] | ...});
 * numbers get the same treatment when their bounds are whole numbers, with the fraction limited
 * so that the bound still holds ({@code 5} inclusive allows {@code 5.0} but not {@code 5.1}).
 * Only bounds within {@link #INTEGER_LIMIT} and {@link #NUMBER_LIMIT} are spelled out; beyond that the caller leaves the range to
 * the validator.
 */
final class NumericGrammar {

    /** Integer bounds beyond this magnitude are not turned into digit grammars. */
    static final long INTEGER_LIMIT = (long) 1e15;
    /**
     * Number bounds beyond this magnitude are not either: with at most 6 fraction digits every
     * number the grammar allows has at most 15 significant digits, so it compares with its
     * bounds exactly as written even as a double.
     */
    static final long NUMBER_LIMIT = (long) 1e9;

    private static final String ANY_FRACTION = "(\".\" [0-9]{1,6})?";
    private static final String NONZERO_FRACTION = "\".\" [0-9]{0,5} [1-9]";
    private static final String ZERO_FRACTION = "(\".\" \"0\"{1,6})?";

    private NumericGrammar() {
    }

    /** Integers in [lo, hi]; either bound may be null (unbounded). The range must not be empty. */
    static String integer(Long lo, Long hi) {
        List<String> alts = new ArrayList<>();
        if (lo == null || lo < 0) {
            long magLo = hi == null || hi >= 0 ? 1 : -hi;
            Long magHi = lo == null ? null : -lo;
            alts.add("\"-\" (" + naturals(magLo, magHi) + ")");
        }
        if (hi == null || hi >= 0) {
            alts.add(naturals(lo == null ? 0 : Math.max(0, lo), hi));
        }
        return String.join(" | ", alts);
    }

    /**
     * Numbers x with lo &lt;(=) x &lt;(=) hi for whole-number bounds (null = unbounded), without
     * exponent. Returns null when the range holds no number.
     */
    static String number(Long lo, boolean loExclusive, Long hi, boolean hiExclusive) {
        List<String> alts = new ArrayList<>();
        // x < 0: the magnitude m = -x lies in (max(0, -hi), -lo] with the bounds' exclusivity swapped.
        if (lo == null || lo < 0) {
            long mLo = hi == null || hi >= 0 ? 0 : -hi;
            boolean mLoEx = hi == null || hi >= 0 || hiExclusive;
            String neg = magnitudes(mLo, mLoEx, lo == null ? null : -lo, loExclusive);
            if (neg != null) {
                alts.add("\"-\" (" + neg + ")");
            }
        }
        if (hi == null || hi > 0 || (hi == 0 && !hiExclusive)) {
            long pLo = lo == null || lo < 0 ? 0 : lo;
            boolean pLoEx = lo != null && lo >= 0 && loExclusive;
            String pos = magnitudes(pLo, pLoEx, hi, hiExclusive);
            if (pos != null) {
                alts.add(pos);
            }
        }
        return alts.isEmpty() ? null : String.join(" | ", alts);
    }

    /** Non-negative decimals m (integer part and fraction) with bounds on m; null when none. */
    private static String magnitudes(long lo, boolean loEx, Long hi, boolean hiEx) {
        List<String> alts = new ArrayList<>();
        long wholeLo = loEx ? lo + 1 : lo;
        Long wholeHi = hi == null ? null : hi - 1;
        if (wholeHi == null || wholeLo <= wholeHi) {
            alts.add("(" + naturals(wholeLo, wholeHi) + ") " + ANY_FRACTION);
        }
        if (loEx && (hi == null || lo < hi)) {
            alts.add("(" + naturals(lo, lo) + ") " + NONZERO_FRACTION);
        }
        if (hi != null && !hiEx && hi >= lo && !(loEx && hi == lo)) {
            alts.add("(" + naturals(hi, hi) + ") " + ZERO_FRACTION);
        }
        return alts.isEmpty() ? null : String.join(" | ", alts);
    }

    /** Natural numbers in [lo, hi] (hi null = unbounded), in decimal without leading zeros. */
    static String naturals(long lo, Long hi) {
        List<String> alts = new ArrayList<>();
        String loDigits = Long.toString(lo);
        int width = loDigits.length();
        long top = hi == null ? Long.MAX_VALUE : hi;
        while (true) {
            long widthMax = pow10(width) - 1;
            long from = width == loDigits.length() ? lo : pow10(width - 1);
            long to = Math.min(widthMax, top);
            if (from > to) {
                break;
            }
            if (hi == null && from == pow10(width - 1) && width > 1) {
                alts.add("[1-9] [0-9]{" + (width - 1) + "," + Math.max(15, width - 1) + "}");
                break;
            }
            sameWidth(Long.toString(from), Long.toString(to), "", alts);
            if (to == top) {
                break;
            }
            width++;
        }
        return String.join(" | ", alts);
    }

    /** Numbers from {@code a} to {@code b}, both of the same width, each alternative prefixed. */
    private static void sameWidth(String a, String b, String prefix, List<String> out) {
        int n = a.length();
        if (n == 1) {
            out.add(prefix + digit(a.charAt(0), b.charAt(0)));
            return;
        }
        if (a.charAt(0) == b.charAt(0)) {
            sameWidth(a.substring(1), b.substring(1), prefix + "\"" + a.charAt(0) + "\" ", out);
            return;
        }
        String restA = a.substring(1);
        String restB = b.substring(1);
        boolean aFull = restA.chars().allMatch(c -> c == '0');
        boolean bFull = restB.chars().allMatch(c -> c == '9');
        char firstFull = aFull ? a.charAt(0) : (char) (a.charAt(0) + 1);
        char lastFull = bFull ? b.charAt(0) : (char) (b.charAt(0) - 1);
        if (!aFull) {
            sameWidth(restA, "9".repeat(n - 1), prefix + "\"" + a.charAt(0) + "\" ", out);
        }
        if (firstFull <= lastFull) {
            out.add(prefix + digit(firstFull, lastFull) + " [0-9]{" + (n - 1) + "}");
        }
        if (!bFull) {
            sameWidth("0".repeat(n - 1), restB, prefix + "\"" + b.charAt(0) + "\" ", out);
        }
    }

    private static String digit(char from, char to) {
        return from == to ? "\"" + from + "\"" : "[" + from + "-" + to + "]";
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}

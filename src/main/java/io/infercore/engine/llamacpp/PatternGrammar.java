package io.infercore.engine.llamacpp;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Schema {@code pattern} as a GBNF expression for the characters between a JSON string's
 * quotes. The regex subset: literals, escapes ({@code \d \w \s \D \W \S} and escaped
 * punctuation), classes with ranges and negation, {@code .}, groups ({@code (...)},
 * {@code (?:...)}, named), alternation, {@code ? * + {m} {m,} {m,n}} (lazy forms read as greedy),
 * and anchors. Anything else (look-around, back-references) is refused with
 * {@link Unsupported}, and the pattern is then left to the validator.
 *
 * <p>The grammar may allow fewer strings than the regex, never more: a string the grammar
 * produces must match. So anchors are dropped (a full match is also a match), {@code \s} is a
 * space, and {@code .} and negated classes are printable ASCII, which also keeps every character
 * one that JSON needs no escape for ({@code "} and {@code \} are written escaped where a class
 * or a literal asks for them).
 */
final class PatternGrammar {

    /** The pattern uses a construct this subset does not cover. */
    static final class Unsupported extends Exception {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private final String re;
    private int pos;

    private PatternGrammar(String re) {
        this.re = re;
    }

    static String convert(String regex) throws Unsupported {
        PatternGrammar p = new PatternGrammar(regex);
        String out = p.alternation();
        if (p.pos != regex.length()) {
            throw new Unsupported("unbalanced ')' at " + p.pos);
        }
        return out.isBlank() ? "\"\"" : out;
    }

    private String alternation() throws Unsupported {
        List<String> alts = new ArrayList<>();
        alts.add(sequence());
        while (pos < re.length() && re.charAt(pos) == '|') {
            pos++;
            alts.add(sequence());
        }
        if (alts.size() == 1) {
            return alts.get(0);
        }
        return String.join(" | ", alts.stream().map(a -> a.isBlank() ? "\"\"" : a).toList());
    }

    private String sequence() throws Unsupported {
        List<String> items = new ArrayList<>();
        while (pos < re.length() && re.charAt(pos) != '|' && re.charAt(pos) != ')') {
            String atom = atom();
            if (atom == null) {
                continue;
            }
            items.add(atom + quantifier());
        }
        return String.join(" ", items);
    }

    /** One atom as a GBNF item; null for an anchor. */
    private String atom() throws Unsupported {
        char c = re.charAt(pos++);
        switch (c) {
            case '^', '$' -> {
                return null;
            }
            case '.' -> {
                return CharSet.printable().render();
            }
            case '(' -> {
                if (re.startsWith("?:", pos)) {
                    pos += 2;
                } else if (re.startsWith("?<", pos) && pos + 2 < re.length() && Character.isLetter(re.charAt(pos + 2))) {
                    int close = re.indexOf('>', pos);
                    if (close < 0) {
                        throw new Unsupported("unterminated group name");
                    }
                    pos = close + 1;
                } else if (pos < re.length() && re.charAt(pos) == '?') {
                    throw new Unsupported("look-around and inline flags are not supported");
                }
                String inner = alternation();
                if (pos >= re.length() || re.charAt(pos) != ')') {
                    throw new Unsupported("unclosed group");
                }
                pos++;
                return "(" + (inner.isBlank() ? "\"\"" : inner) + ")";
            }
            case '[' -> {
                return charClass().render();
            }
            case '\\' -> {
                return escape(false).render();
            }
            case '*', '+', '?', '{' -> throw new Unsupported("quantifier '" + c + "' without an item at " + (pos - 1));
            default -> {
                return CharSet.of(c).render();
            }
        }
    }

    private String quantifier() throws Unsupported {
        if (pos >= re.length()) {
            return "";
        }
        char c = re.charAt(pos);
        String q;
        if (c == '*' || c == '+' || c == '?') {
            pos++;
            q = String.valueOf(c);
        } else if (c == '{' && re.indexOf('}', pos) > 0 && re.substring(pos + 1, re.indexOf('}', pos)).matches("\\d+(,\\d*)?")) {
            int close = re.indexOf('}', pos);
            String[] parts = re.substring(pos + 1, close).split(",", -1);
            long min = Long.parseLong(parts[0]);
            long max = parts.length == 1 ? min : parts[1].isEmpty() ? -1 : Long.parseLong(parts[1]);
            if (min > GbnfCheck.MAX_REPETITION || max > GbnfCheck.MAX_REPETITION || (max >= 0 && max < min)) {
                throw new Unsupported("repetition {" + re.substring(pos + 1, close) + "} out of range");
            }
            pos = close + 1;
            q = "{" + min + (parts.length == 1 ? "" : "," + (max < 0 ? "" : String.valueOf(max))) + "}";
        } else {
            return "";
        }
        if (pos < re.length() && re.charAt(pos) == '?') {
            pos++; // lazy: the same strings
        } else if (pos < re.length() && re.charAt(pos) == '+') {
            throw new Unsupported("possessive quantifiers are not supported");
        }
        return q;
    }

    private CharSet charClass() throws Unsupported {
        boolean negated = pos < re.length() && re.charAt(pos) == '^';
        if (negated) {
            pos++;
        }
        CharSet set = new CharSet();
        boolean first = true;
        while (pos < re.length() && (re.charAt(pos) != ']' || first)) {
            first = false;
            CharSet item;
            int from;
            char c = re.charAt(pos++);
            if (c == '\\') {
                item = escape(true);
                from = item.single();
            } else if (c == '[') {
                throw new Unsupported("nested or POSIX classes are not supported");
            } else {
                from = c;
                item = CharSet.of(c);
            }
            if (from >= 0 && pos + 1 < re.length() && re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
                pos++;
                char t = re.charAt(pos++);
                int to = t == '\\' ? escape(true).single() : t;
                if (to < 0 || to < from) {
                    throw new Unsupported("bad range in class");
                }
                item = CharSet.range(from, to);
            }
            set.addAll(item);
        }
        if (pos >= re.length()) {
            throw new Unsupported("unclosed class");
        }
        pos++;
        return negated ? set.complement() : set;
    }

    /** An escape after '\'; inside a class only single characters and positive shorthands. */
    private CharSet escape(boolean inClass) throws Unsupported {
        if (pos >= re.length()) {
            throw new Unsupported("trailing backslash");
        }
        char e = re.charAt(pos++);
        return switch (e) {
            case 'd' -> CharSet.range('0', '9');
            case 'w' -> CharSet.range('a', 'z').plus(CharSet.range('A', 'Z')).plus(CharSet.range('0', '9')).plus(CharSet.of('_'));
            case 's' -> CharSet.of(' ');
            case 'D' -> CharSet.range('0', '9').complement();
            case 'W' -> CharSet.range('a', 'z').plus(CharSet.range('A', 'Z')).plus(CharSet.range('0', '9'))
                    .plus(CharSet.of('_')).complement();
            case 'S' -> CharSet.of(' ').complement();
            case 'n', 'r', 't', 'f', 'v' -> throw new Unsupported("control characters are not supported");
            case 'b', 'B' -> {
                if (inClass) {
                    throw new Unsupported("\\b in a class");
                }
                throw new Unsupported("word boundaries are not supported");
            }
            case 'u' -> {
                if (pos + 4 > re.length()) {
                    throw new Unsupported("short \\u escape");
                }
                try {
                    int cp = Integer.parseInt(re.substring(pos, pos + 4), 16);
                    pos += 4;
                    yield CharSet.of(cp);
                } catch (NumberFormatException ex) {
                    throw new Unsupported("bad \\u escape");
                }
            }
            default -> {
                if (Character.isLetterOrDigit(e)) {
                    throw new Unsupported("escape \\" + e + " is not supported");
                }
                yield CharSet.of(e);
            }
        };
    }
}

package io.infercore.engine.llamacpp;

import java.util.Map;

/**
 * The string {@code format}s a grammar enforces, as the characters between the quotes. Each
 * allows a subset of what the format allows, never more: days stop at 28 so that every date
 * exists, e-mail addresses are plain lower-case ones.
 */
final class StringFormats {

    static final Map<String, String> FORMATS = Map.of(
            "date", "date-part",
            "time", "time-part",
            "date-time", "date-part \"T\" time-part",
            "uuid", "[0-9a-f]{8} \"-\" [0-9a-f]{4} \"-\" [1-5] [0-9a-f]{3} \"-\" [89ab] [0-9a-f]{3} \"-\" [0-9a-f]{12}",
            "email", "[a-z0-9]{1,20} (\".\" [a-z0-9]{1,20})? \"@\" [a-z0-9]{1,20} \".\" [a-z]{2,6}",
            "ipv4", "octet \".\" octet \".\" octet \".\" octet");
    private static final String DATE = "[0-9]{4} \"-\" (\"0\" [1-9] | \"1\" [0-2]) \"-\" (\"0\" [1-9] | \"1\" [0-9] | \"2\" [0-8])";
    private static final String TIME = "([01] [0-9] | \"2\" [0-3]) \":\" [0-5] [0-9] \":\" [0-5] [0-9] (\".\" [0-9]{1,6})? "
            + "(\"Z\" | [+-] ([01] [0-9] | \"2\" [0-3]) \":\" [0-5] [0-9])";
    private static final String OCTET = "[0-9] | [1-9] [0-9] | \"1\" [0-9] [0-9] | \"2\" [0-4] [0-9] | \"25\" [0-5]";

    private StringFormats() {
    }

    /** The shared rules the formats refer to, added once. */
    static void addParts(GrammarRules rules) {
        if (!rules.has("date-part")) {
            rules.put("date-part", DATE);
            rules.put("time-part", TIME);
            rules.put("octet", OCTET);
        }
    }
}

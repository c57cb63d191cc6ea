package io.infercore.access;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redactor: every text that may reach a user or a log (log records, error messages,
 * run views, engine logs and command lines) passes through {@link #redact(String)} before it is
 * shown. Two nets: the configured secret values themselves ({@code hf_token}, engine API keys,
 * the service's own API keys; registered at start-up), and the shapes secrets travel in
 * ({@code Authorization: Bearer ...}, {@code --api-key ...}, {@code api_key=...}, Hugging Face
 * tokens, passwords in URLs), so a secret the service never saw configured (a token in an engine's
 * own log line) is caught too.
 */
public final class Secrets {

    /** What a secret is replaced with. */
    public static final String MASK = "***";

    /** Values shorter than this are not replaced verbatim: "ab" would mangle every text. */
    static final int MIN_KNOWN_LENGTH = 6;

    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();
    private static volatile List<String> longestFirst = List.of();

    private static final List<Rule> RULES = List.of(
            // Authorization: Bearer x / Basic x, in headers, logs and dumps (quoted or not)
            new Rule(Pattern.compile("(?i)(\\bauthorization[\"']?\\s*[:=]\\s*[\"']?(?:bearer\\s+|basic\\s+)?+)(?![<*])[^\\s\"',;}]+"), "$1" + MASK),
            new Rule(Pattern.compile("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/=-]{8,}"), "$1" + MASK),
            // command-line flags: --api-key x, --api-key=x, --hf-token x, --token x
            new Rule(Pattern.compile("(?i)(--(?:api-key|hf-token|token|password)(?:=|\\s+))[^\\s\"',]+"), "$1" + MASK),
            // key/value pairs: api_key=x, "hf_token": "x", X-API-Key: x, HF_TOKEN=x, password=x
            new Rule(Pattern.compile("(?i)(\\b(?:[a-z0-9]+[_-])?(?:api[_-]?keys?|token|secret|password)[\"']?\\s*[:=]\\s*[\"']?)"
                    + "(?![\\s\"',}\\[\\]<]|\\*\\*\\*|(?:null|None)\\b)[^\\s\"',;}\\]]+"), "$1" + MASK),
            // Hugging Face user access tokens, wherever they appear
            new Rule(Pattern.compile("\\bhf_[A-Za-z0-9]{20,}"), "hf_" + MASK),
            // user:password@ in URLs
            new Rule(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s:@]+:[^/\\s@]+@"), "$1" + MASK + "@"));

    private Secrets() {
    }

    /** Adds a configured secret value, to be masked wherever it appears verbatim. Blank or very short values are ignored. */
    public static void register(String value) {
        if (value == null || value.strip().length() < MIN_KNOWN_LENGTH) {
            return;
        }
        if (KNOWN.add(value.strip())) {
            longestFirst = KNOWN.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    /** {@code text} with every secret masked; {@code null} stays {@code null}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String known : longestFirst) {
            if (out.contains(known)) {
                out = out.replace(known, MASK);
            }
        }
        for (Rule rule : RULES) {
            out = rule.apply(out);
        }
        return out;
    }

    /** Whether {@link #redact(String)} would change {@code text} (cheap enough for every log record). */
    public static boolean holdsSecret(String text) {
        return text != null && !text.equals(redact(text));
    }

    private record Rule(Pattern pattern, String replacement) {
        String apply(String text) {
            Matcher m = pattern.matcher(text);
            return m.find() ? m.replaceAll(replacement) : text;
        }
    }
}

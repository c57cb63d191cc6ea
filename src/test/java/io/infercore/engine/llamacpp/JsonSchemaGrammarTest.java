package io.infercore.engine.llamacpp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infercore.error.ErrorKind;
import io.infercore.error.InfercoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JSON Schema to GBNF converter: exact grammars for a few schemas (golden), then, keyword by
 * keyword, what each grammar accepts and refuses, read by a test-side GBNF matcher.
 */
class JsonSchemaGrammarTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static SchemaGrammar grammar(String schema) {
        try {
            return JsonSchemaGrammar.convert(JSON.readTree(schema));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static GbnfMatcher matcher(String schema) {
        return new GbnfMatcher(grammar(schema).gbnf());
    }

    // ---- golden grammars ------------------------------------------------------------------

    @Test
    void should_define_ws_for_an_object_of_enums_only() {
        assertThat(grammar("{\"type\":\"object\",\"properties\":{\"color\":{\"enum\":[\"red\",\"green\",\"blue\"]}},"
                + "\"required\":[\"color\"]}").gbnf()).isEqualTo("""
                root ::= object-2
                properties-color-enum-0 ::= ("\\"red\\"" | "\\"green\\"" | "\\"blue\\"") ws
                tail-1 ::= ""
                object-2 ::= "{" ws "\\"color\\"" ws ":" ws properties-color-enum-0 tail-1 "}" ws
                ws ::= | " " | "\\n" [ \\t]{0,20}
                """);
    }

    @Test
    void should_spell_an_integer_range_digit_by_digit() {
        assertThat(grammar("{\"type\":\"integer\",\"minimum\":-5,\"exclusiveMaximum\":120}").gbnf()).isEqualTo("""
                root ::= int-0
                int-0 ::= ("-" ([1-5]) | [0-9] | [1-9] [0-9]{1} | "1" [0-1] [0-9]{1}) ws
                ws ::= | " " | "\\n" [ \\t]{0,20}
                """);
    }

    @Test
    void should_turn_a_pattern_into_a_string_rule() {
        assertThat(grammar("{\"type\":\"string\",\"pattern\":\"^[A-Z]{2}-\\\\d{3}$\"}").gbnf()).isEqualTo("""
                root ::= pattern-0
                pattern-0 ::= "\\"" ([A-Z]{2} [\\x2D] [0-9]{3}) "\\"" ws
                ws ::= | " " | "\\n" [ \\t]{0,20}
                """);
    }

    @Test
    void should_name_a_recursive_definition_once() {
        String gbnf = grammar("{\"$ref\":\"#/$defs/node\",\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{"
                + "\"name\":{\"type\":\"string\"},\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/node\"}}},"
                + "\"required\":[\"name\"]}}}").gbnf();
        assertThat(gbnf).startsWith("root ::= ref-defs-node\n").contains("ref-defs-node ::= ");
        assertThat(GbnfCheck.problem(gbnf)).isEmpty();
    }

    // ---- the checker ----------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
            "root ::= \"{\" ws \"}\" => undefined rule 'ws'",
            "item ::= \"a\" => no 'root' rule",
            "root ::= root \"a\" | \"b\" => left-recursive",
            "root ::= x \"a\"\\nx ::= \"\" | root => left-recursive",
            "root ::= (\"a\"?)* => repeats without bound",
            "root ::= \"a\" (\"b\" => expecting ')'",
            "root ::= [a-z => expecting ']'",
            "root ::= * \"a\" => expecting preceding item",
            "root ::= \"a\"{3,2} => maximum below its minimum",
            "root ::= \"\\q\" => unknown escape"})
    void should_find_what_llama_cpp_would_refuse(String grammar, String why) {
        assertThat(GbnfCheck.problem(grammar.replace("\\n", "\n"))).get().asString().contains(why);
    }

    @Test
    void should_accept_well_formed_grammars() {
        assertThat(GbnfCheck.problem("root ::= item+ # comment\nitem ::= [a-z] | \"\\x41\" | ( \"b\"\n | \"c\" ){2,3} | .\n"))
                .isEmpty();
    }

    // ---- numbers --------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "'\"minimum\":-5,\"exclusiveMaximum\":120', -5, 119",
            "'\"minimum\":0', 0, 1000000",
            "'\"maximum\":-7', -1000000, -7",
            "'\"exclusiveMinimum\":-250,\"maximum\":-3', -249, -3",
            "'\"minimum\":18,\"maximum\":99', 18, 99",
            "'\"minimum\":1.5,\"maximum\":7.9', 2, 7",
            "'\"minimum\":0,\"exclusiveMinimum\":true', 1, 1000000",
            "'\"minimum\":100,\"maximum\":100', 100, 100"})
    void should_allow_exactly_the_integers_in_range(String bounds, long lo, long hi) {
        GbnfMatcher m = matcher("{\"type\":\"integer\"," + bounds + "}");
        for (long n = -1200; n <= 1200; n++) {
            assertThat(m.matches(Long.toString(n))).as("%d in [%d, %d]", n, lo, hi).isEqualTo(n >= lo && n <= hi);
        }
        assertThat(m.matches("007")).isFalse();
        assertThat(m.matches("-0")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "'\"minimum\":0,\"maximum\":1', 0, false, 1, false",
            "'\"exclusiveMinimum\":0,\"exclusiveMaximum\":10', 0, true, 10, true",
            "'\"minimum\":-2,\"exclusiveMaximum\":3', -2, false, 3, true",
            "'\"exclusiveMinimum\":-5,\"maximum\":-1', -5, true, -1, false"})
    void should_allow_exactly_the_numbers_in_range(String bounds, int lo, boolean loEx, int hi, boolean hiEx) {
        GbnfMatcher m = matcher("{\"type\":\"number\"," + bounds + "}");
        for (String n : List.of("0", "0.5", "1", "1.0", "1.5", "-0.5", "-1", "-1.25", "-2", "-2.0", "-2.5", "3",
                "2.999", "3.0", "3.001", "9.99", "10", "-5", "-4.9", "-5.0", "-0.000001", "12")) {
            BigDecimal v = new BigDecimal(n);
            boolean in = (loEx ? v.compareTo(BigDecimal.valueOf(lo)) > 0 : v.compareTo(BigDecimal.valueOf(lo)) >= 0)
                    && (hiEx ? v.compareTo(BigDecimal.valueOf(hi)) < 0 : v.compareTo(BigDecimal.valueOf(hi)) <= 0);
            assertThat(m.matches(n)).as("%s in %s", n, bounds).isEqualTo(in);
        }
        assertThat(m.matches("-0")).isFalse();
    }

    @Test
    void should_leave_fractional_number_bounds_and_multiple_of_to_the_validator() {
        SchemaGrammar g = grammar("{\"type\":\"object\",\"properties\":{\"p\":{\"type\":\"number\",\"minimum\":0.5,"
                + "\"maximum\":10,\"multipleOf\":0.5}}}");
        assertThat(g.unenforced()).containsExactly("/properties/p/minimum", "/properties/p/multipleOf");
    }

    // ---- strings --------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
            "^[A-Z]{2}-\\d{3}$ => \"AB-123\" => \"ab-123\",\"AB-12\",\"AB-1234\"",
            "^(foo|bar)+baz?$ => \"foobarba\",\"foobaz\" => \"baz\",\"foo bar\"",
            "[^a-c]x => \"dx\",\"zx\" => \"ax\",\"x\"",
            "^\\w+@\\w+\\.com$ => \"me@host.com\" => \"me@host.org\"",
            "^a.c$ => \"abc\",\"a-c\" => \"ac\"",
            "^\\\"q\\\\$ => \"\\\"q\\\\\" => \"q\"",
            "^(?:\\+1)?[0-9]{3}$ => \"+1555\",\"555\" => \"+155\""})
    void should_enforce_patterns(String pattern, String accepted, String refused) throws Exception {
        GbnfMatcher m = matcher("{\"type\":\"string\",\"pattern\":" + JSON.writeValueAsString(pattern) + "}");
        Pattern regex = Pattern.compile(pattern);
        for (String doc : accepted.split(",")) {
            assertThat(m.matches(doc)).as("%s accepts %s", pattern, doc).isTrue();
            assertThat(regex.matcher(JSON.readTree(doc).asText()).find()).isTrue();
        }
        for (String doc : refused.split(",")) {
            assertThat(m.matches(doc)).as("%s refuses %s", pattern, doc).isFalse();
        }
    }

    @Test
    void should_leave_unsupported_patterns_to_the_validator() {
        SchemaGrammar g = grammar("{\"type\":\"string\",\"pattern\":\"^(?=a)a\\\\1$\"}");
        assertThat(g.unenforced()).containsExactly("/pattern");
        assertThat(new GbnfMatcher(g.gbnf()).matches("\"anything\"")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "date|\"2024-02-28\"|\"2024-13-01\",\"2024-2-8\",\"2024-02-30\"",
            "time|\"12:30:59Z\",\"23:59:00.123+02:00\"|\"24:00:00Z\",\"12:30\"",
            "date-time|\"2024-01-15T08:00:00Z\"|\"2024-01-15 08:00:00Z\"",
            "uuid|\"123e4567-e89b-42d3-a456-426614174000\"|\"123e4567e89b42d3a456426614174000\"",
            "email|\"ann.lee@example.com\"|\"ann@\",\"example.com\"",
            "ipv4|\"192.168.0.255\"|\"256.1.1.1\""})
    void should_enforce_formats(String format, String accepted, String refused) {
        GbnfMatcher m = matcher("{\"type\":\"string\",\"format\":\"" + format + "\"}");
        for (String doc : accepted.split(",")) {
            assertThat(m.matches(doc)).as("%s accepts %s", format, doc).isTrue();
        }
        for (String doc : refused.split(",")) {
            assertThat(m.matches(doc)).as("%s refuses %s", format, doc).isFalse();
        }
    }

    @Test
    void should_count_string_lengths_in_characters_escapes_included() {
        GbnfMatcher m = matcher("{\"type\":\"string\",\"minLength\":2,\"maxLength\":3}");
        assertThat(m.matches("\"ab\"")).isTrue();
        assertThat(m.matches("\"a\\nb\"")).isTrue();
        assertThat(m.matches("\"a\"")).isFalse();
        assertThat(m.matches("\"abcd\"")).isFalse();
    }

    // ---- enum, const, combinations --------------------------------------------------------

    @Test
    void should_allow_enum_and_const_of_any_json_value() {
        GbnfMatcher m = matcher("{\"enum\":[1,\"two\",null,[3,{\"a\":true}],{\"k\":\"v\"}]}");
        for (String doc : List.of("1", "\"two\"", "null", "[3,{\"a\":true}]", "{\"k\":\"v\"}")) {
            assertThat(m.matches(doc)).as(doc).isTrue();
        }
        assertThat(m.matches("2")).isFalse();
        assertThat(matcher("{\"const\":{\"x\":[1,2]}}").matches("{\"x\":[1,2]}")).isTrue();
    }

    @Test
    void should_merge_all_of_and_apply_siblings_to_every_any_of_branch() {
        GbnfMatcher merged = matcher("{\"allOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},"
                + "\"required\":[\"a\"]},{\"properties\":{\"b\":{\"type\":\"boolean\"}},\"required\":[\"b\"]}]}");
        assertThat(merged.matches("{\"a\":1,\"b\":true}")).isTrue();
        assertThat(merged.matches("{\"a\":1}")).isFalse();
        GbnfMatcher either = matcher("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},"
                + "\"b\":{\"type\":\"string\"}},\"oneOf\":[{\"required\":[\"a\"]},{\"required\":[\"b\"]}]}");
        assertThat(either.matches("{\"a\":1}")).isTrue();
        assertThat(either.matches("{\"b\":\"x\"}")).isTrue();
        assertThat(either.matches("{}")).isFalse();
    }

    @Test
    void should_follow_recursive_references() {
        GbnfMatcher m = matcher("{\"$ref\":\"#/$defs/node\",\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{"
                + "\"name\":{\"type\":\"string\"},\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/node\"}}},"
                + "\"required\":[\"name\"],\"additionalProperties\":false}}}");
        assertThat(m.matches("{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[{\"name\":\"c\"}]}]}")).isTrue();
        assertThat(m.matches("{\"name\":\"a\",\"children\":[{\"children\":[]}]}")).isFalse();
    }

    @Test
    void should_refuse_a_reference_cycle_that_nests_nothing_with_a_400() {
        assertThatThrownBy(() -> grammar("{\"$ref\":\"#/$defs/a\",\"$defs\":{\"a\":{\"anyOf\":[{\"$ref\":\"#/$defs/a\"},"
                + "{\"type\":\"null\"}]}}}"))
                .isInstanceOfSatisfying(InfercoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST));
    }

    // ---- arrays and objects ---------------------------------------------------------------

    @Test
    void should_count_items_after_prefix_items() {
        GbnfMatcher m = matcher("{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"},{\"type\":\"integer\"}],"
                + "\"items\":{\"type\":\"boolean\"},\"minItems\":1,\"maxItems\":4}");
        assertThat(m.matches("[\"a\"]")).isTrue();
        assertThat(m.matches("[\"a\",2,true,false]")).isTrue();
        assertThat(m.matches("[]")).isFalse();
        assertThat(m.matches("[\"a\",2,true,false,true]")).isFalse();
        assertThat(m.matches("[2]")).isFalse();
        GbnfMatcher counted = matcher("{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":2,\"maxItems\":3}");
        assertThat(counted.matches("[1]")).isFalse();
        assertThat(counted.matches("[1, 2]")).isTrue();
        assertThat(counted.matches("[1,2,3,4]")).isFalse();
    }

    @Test
    void should_keep_additional_keys_distinct_from_declared_ones() {
        GbnfMatcher m = matcher("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}},\"required\":[\"id\"],"
                + "\"additionalProperties\":{\"type\":\"string\"}}");
        assertThat(m.matches("{\"id\":1,\"note\":\"x\",\"i\":\"y\",\"idx\":\"z\"}")).isTrue();
        assertThat(m.matches("{\"id\":1,\"id\":\"x\"}")).isFalse();
        assertThat(m.matches("{\"id\":1,\"note\":2}")).isFalse();
        assertThat(matcher("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}},\"additionalProperties\":false}")
                .matches("{\"id\":1,\"x\":2}")).isFalse();
    }

    @Test
    void should_count_properties() {
        GbnfMatcher m = matcher("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"integer\"},"
                + "\"c\":{\"type\":\"integer\"}},\"minProperties\":1,\"maxProperties\":2}");
        assertThat(m.matches("{}")).isFalse();
        assertThat(m.matches("{\"b\":1}")).isTrue();
        assertThat(m.matches("{\"a\":1,\"c\":2}")).isTrue();
        assertThat(m.matches("{\"a\":1,\"b\":2,\"c\":3}")).isFalse();
        GbnfMatcher open = matcher("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"},\"minProperties\":2}");
        assertThat(open.matches("{\"x\":1}")).isFalse();
        assertThat(open.matches("{\"x\":1,\"y\":2}")).isTrue();
    }

    @Test
    void should_report_the_keywords_left_to_the_validator() {
        SchemaGrammar g = grammar("{\"type\":\"object\",\"properties\":{\"tags\":{\"type\":\"array\",\"uniqueItems\":true,"
                + "\"items\":{\"type\":\"string\",\"format\":\"hostname\"}}},\"not\":{\"required\":[\"x\"]}}");
        assertThat(g.unenforced()).containsExactly("/not", "/properties/tags/items/format", "/properties/tags/uniqueItems");
        assertThat(grammar("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\",\"minimum\":1}}}").unenforced())
                .isEmpty();
    }
}

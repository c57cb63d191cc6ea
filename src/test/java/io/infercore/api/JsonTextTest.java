package io.infercore.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTextTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"plain", "quote \" and \\ backslash", "new\nline\ttab\rcr", "\u0000\u001f ctl",
            "unicode é 中文 😀", "line sep \u2028 para \u2029", ""})
    void should_round_trip_through_a_json_parser(String text) throws Exception {
        StringBuilder out = new StringBuilder();
        JsonText.appendQuoted(out, text);
        assertThat(MAPPER.readValue(out.toString(), String.class)).isEqualTo(text);
    }
}

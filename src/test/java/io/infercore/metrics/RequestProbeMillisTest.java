package io.infercore.metrics;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The X-Infercore-Overhead-Ms value: what {@code String.format("%.3f")} wrote, without its cost. */
class RequestProbeMillisTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0.000", "1, 0.000", "499, 0.000", "500, 0.001", "1000, 0.001", "9999, 0.010",
            "99499, 0.099", "99500, 0.100", "1234567, 1.235", "2300000, 2.300", "129900000, 129.900",
            "999999499, 999.999", "999999500, 1000.000", "86400000000000, 86400000.000"})
    void should_write_milliseconds_with_three_decimals_rounded_half_up(long nanos, String expected) {
        assertThat(RequestProbe.millis(nanos)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"7", "1005", "123456", "987654321", "5000000001"})
    void should_agree_with_string_format(long nanos) {
        assertThat(RequestProbe.millis(nanos)).isEqualTo(String.format(Locale.ROOT, "%.3f",
                new java.math.BigDecimal(nanos).movePointLeft(6).setScale(3, java.math.RoundingMode.HALF_UP)));
    }
}

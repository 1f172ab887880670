package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalsTest {
    @ParameterizedTest
    @ValueSource(doubles = {0, 0.05, 0.049, 0.15, 0.25, 1.0, 9.95, 12.345, 999.9999, 123456.789, 1e-3, 0.0005, -2.35})
    void printsWhatTheFormatterPrints(double value) {
        for (int places = 0; places <= 3; places++) {
            assertEquals(String.format(Locale.ROOT, "%." + places + "f", value), Decimals.fixed(value, places),
                    value + " to " + places + " places");
        }
    }
}

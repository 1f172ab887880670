package dev.jbuild.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Fixed-point text of numbers for progress lines, as {@code String.format("%.Nf")} would print them
 * in the root locale. {@link java.util.Formatter} loads the JDK's locale data on its first
 * floating-point conversion, some 5 ms that every build paid for its first timing.
 */
final class Decimals {
    private Decimals() {
    }

    /** {@code value} rounded half up to {@code places} decimal places, with a dot and no grouping. */
    static String fixed(double value, int places) {
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).toPlainString();
    }
}

package dev.jbuild.dockerfile;

import java.util.Objects;

/**
 * A problem that does not stop the parse, with BuildKit's lint rule name.
 *
 * @param rule    BuildKit's rule name, for example {@code NoEmptyContinuation}
 * @param message one line, as BuildKit words it
 * @param line    the 1-based physical line it refers to
 */
public record Warning(String rule, String message, int line) {
    public Warning {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
        if (line < 1) {
            throw new IllegalArgumentException("line must be positive: " + line);
        }
    }

    @Override
    public String toString() {
        return "line " + line + ": " + message + " (" + rule + ")";
    }
}

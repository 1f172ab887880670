package dev.jbuild.dockerfile;

import java.util.Optional;

/**
 * The parser directives at the top of a Dockerfile.
 *
 * @param syntax      the {@code # syntax=} value (a frontend image reference), if given
 * @param escapeToken {@code \} (the default) or {@code `}
 * @param check       the {@code # check=} value (lint options), if given
 */
public record Directives(Optional<String> syntax, char escapeToken, Optional<String> check) {
    public Directives {
        if (escapeToken != '\\' && escapeToken != '`') {
            throw new IllegalArgumentException("invalid escape token '" + escapeToken + "' does not match ` or \\");
        }
    }
}

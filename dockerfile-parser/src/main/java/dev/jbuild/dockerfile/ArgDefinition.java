package dev.jbuild.dockerfile;

import java.util.Objects;
import java.util.Optional;

/**
 * One build argument of an ARG instruction: {@code NAME} or {@code NAME=default}, unexpanded.
 *
 * @param name         the name as written
 * @param defaultValue the default as written (quotes kept), when there is one
 */
public record ArgDefinition(String name, Optional<String> defaultValue) {
    public ArgDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
    }
}

package dev.jbuild.dockerfile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The variables a word is expanded against: build args and ENV values in scope at one instruction. */
@FunctionalInterface
public interface Environment {
    /** The value of {@code name}, or empty when the variable is not set (set-but-empty is {@code Optional.of("")}). */
    Optional<String> lookup(String name);

    /** An environment with no variables. */
    static Environment empty() {
        return name -> Optional.empty();
    }

    /** An environment backed by a copy of {@code variables}. */
    static Environment of(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(variables);
        return name -> Optional.ofNullable(copy.get(name));
    }

    /**
     * An environment from {@code KEY=VALUE} entries, as BuildKit's {@code BuildEnvs}: a later entry
     * wins, and an entry without {@code =} sets the variable to the empty string.
     */
    static Environment fromEntries(List<String> entries) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals < 0) {
                variables.put(entry, "");
            } else {
                variables.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return of(variables);
    }
}

package dev.jbuild.dockerfile.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The {@code --flags} one instruction accepts, checked the way BuildKit's {@code BFlags} does. */
final class BuildFlags {
    enum Type { BOOL, STRING, STRINGS }

    /** A flag BuildKit refuses, with the raw word it came from. */
    static final class FlagException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String word;

        FlagException(String word, String message) {
            super(message);
            this.word = word;
        }

        String word() {
            return word;
        }
    }

    private final Map<String, Type> declared = new LinkedHashMap<>();
    private final Map<String, List<String>> values = new HashMap<>();

    BuildFlags declare(String name, Type type) {
        declared.put(name, type);
        return this;
    }

    void parse(List<String> words) throws FlagException {
        for (String word : words) {
            if (!word.startsWith("--")) {
                throw new FlagException(word, "arg should start with -- : " + word);
            }
            if (word.equals("--")) {
                return;
            }
            String body = word.substring(2);
            int equals = body.indexOf('=');
            String name = equals < 0 ? body : body.substring(0, equals);
            String value = equals < 0 ? "" : body.substring(equals + 1);
            Type type = declared.get(name);
            if (type == null) {
                throw new FlagException(word, "unknown flag: --" + name + Suggestions.didYouMean(name,
                        declared.keySet().stream().toList(), false).replace("mean ", "mean --"));
            }
            if (values.containsKey(name) && type != Type.STRINGS) {
                throw new FlagException(word, "duplicate flag specified: --" + name);
            }
            switch (type) {
                case BOOL -> {
                    if (equals >= 0 && value.isEmpty()) {
                        throw new FlagException(word, "missing a value on flag: --" + name);
                    }
                    String normalized = value.toLowerCase(Locale.ROOT);
                    if (!normalized.isEmpty() && !normalized.equals("true") && !normalized.equals("false")) {
                        throw new FlagException(word, "expecting boolean value for flag --" + name + ", not: " + value);
                    }
                    values.put(name, List.of(normalized.isEmpty() ? "true" : normalized));
                }
                case STRING -> {
                    if (equals < 0) {
                        throw new FlagException(word, "missing a value on flag: --" + name);
                    }
                    values.put(name, List.of(value));
                }
                case STRINGS -> {
                    if (equals < 0) {
                        throw new FlagException(word, "missing a value on flag: --" + name);
                    }
                    values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
            }
        }
    }

    Optional<String> string(String name) {
        List<String> given = values.get(name);
        return given == null ? Optional.empty() : Optional.of(given.getFirst());
    }

    List<String> strings(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    boolean bool(String name) {
        return string(name).map(Boolean::parseBoolean).orElse(false);
    }

    Optional<Boolean> optionalBool(String name) {
        return string(name).map(Boolean::parseBoolean);
    }
}

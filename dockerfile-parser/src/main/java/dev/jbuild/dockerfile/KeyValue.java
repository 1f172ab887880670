package dev.jbuild.dockerfile;

import java.util.Objects;

/**
 * One ENV or LABEL pair as written: quotes and escapes are still in both parts, and are removed
 * when the builder expands them with {@link ShellLexer#processWord}.
 *
 * @param key   the name as written
 * @param value the value as written
 */
public record KeyValue(String key, String value) {
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}

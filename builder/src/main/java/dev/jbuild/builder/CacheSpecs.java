package dev.jbuild.builder;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Reads the {@code key=value,…} values of {@code --cache-from} and {@code --cache-to}. */
final class CacheSpecs {
    private CacheSpecs() {
    }

    /** The {@code key=value} fields of a cache option; a value without {@code =} is {@code ref=VALUE}. */
    static Map<String, String> fields(String option, String spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.isBlank()) {
            throw new IllegalArgumentException("empty " + option);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (!spec.contains("=")) {
            fields.put("ref", spec.strip());
            return fields;
        }
        for (String field : spec.split(",")) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("invalid " + option + " field \"" + field + "\" in \"" + spec
                        + "\" (expected key=value)");
            }
            fields.put(field.substring(0, equals).strip().toLowerCase(Locale.ROOT), field.substring(equals + 1).strip());
        }
        fields.computeIfPresent("type", (key, value) -> value.toLowerCase(Locale.ROOT));
        return fields;
    }

    /** Fails on a field this kind of cache does not know, naming the ones it does. */
    static void onlyKnown(Map<String, String> fields, String option, Set<String> known) {
        for (String key : fields.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown " + option + " field \"" + key + "\" (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    static String required(Map<String, String> fields, String key, String option, String type) {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(option + " type=" + type + " needs " + key + "=");
        }
        return value;
    }

    static IllegalArgumentException unsupported(String option, String type) {
        return new IllegalArgumentException("unsupported " + option + " type \"" + type
                + "\" (jbuild keeps shared cache in a registry, type=registry, or an OCI layout directory, type=local)");
    }
}

package dev.jbuild.builder;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A SLSA provenance attestation (v1) to attach to the images a build pushes or writes as an OCI
 * layout, as buildx's {@code --provenance} and {@code --attest type=provenance} ask for it.
 *
 * @param mode         {@link Mode#MIN}: timestamps, the frontend and the materials; {@link Mode#MAX}
 *                     adds build-arg and label values, secret and SSH ids and the Dockerfile
 * @param builderId    the builder's id ({@code builder-id=}); empty: the CI run's URL where one is known
 * @param reproducible whether the build is declared byte-for-byte reproducible ({@code reproducible=true})
 */
public record Provenance(Mode mode, Optional<String> builderId, boolean reproducible) {
    /** How much the attestation records. */
    public enum Mode { MIN, MAX }

    public Provenance {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(builderId, "builderId");
    }

    /**
     * Parses a {@code --provenance} value as buildx does: {@code true} or {@code 1} (mode=min),
     * {@code false} or {@code 0} (none), or {@code key=value} fields: {@code mode=min|max},
     * {@code builder-id=ID}, {@code reproducible=true}, {@code version=v1}, {@code disabled=true}.
     */
    public static Optional<Provenance> parse(String value) {
        String trimmed = value.strip();
        return switch (trimmed.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> Optional.of(new Provenance(Mode.MIN, Optional.empty(), false));
            case "false", "0" -> Optional.empty();
            default -> fields(trimmed, "--provenance " + value);
        };
    }

    /** Parses the fields of {@code --attest type=provenance,…}, {@code type=} among them. */
    public static Optional<Provenance> parseAttest(String value) {
        return fields(value.strip(), "--attest " + value);
    }

    private static Optional<Provenance> fields(String value, String option) {
        Mode mode = Mode.MIN;
        Optional<String> builderId = Optional.empty();
        boolean reproducible = false;
        for (String field : value.split(",")) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(option + ": expected key=value fields, not \"" + field + "\"");
            }
            String key = field.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            String fieldValue = field.substring(equals + 1).strip();
            switch (key) {
                case "type" -> {
                    if (!fieldValue.equals("provenance")) {
                        throw new IllegalArgumentException(option + ": not a provenance attestation");
                    }
                }
                case "mode" -> mode = switch (fieldValue.toLowerCase(Locale.ROOT)) {
                    case "min" -> Mode.MIN;
                    case "max" -> Mode.MAX;
                    default -> throw new IllegalArgumentException(option + ": mode is min or max, not \""
                            + fieldValue + "\"");
                };
                case "builder-id" -> builderId = Optional.of(fieldValue);
                case "reproducible" -> reproducible = Boolean.parseBoolean(fieldValue);
                case "disabled" -> {
                    if (Boolean.parseBoolean(fieldValue)) {
                        return Optional.empty();
                    }
                }
                case "version" -> {
                    if (!fieldValue.equals("v1")) {
                        throw new IllegalArgumentException(option + ": jbuild writes SLSA provenance v1 only");
                    }
                }
                case "inline-only", "filename" -> {
                    // both concern exporters of file trees, to which jbuild attaches no provenance
                }
                default -> throw new IllegalArgumentException(option + ": unknown field \"" + key + "\"");
            }
        }
        return Optional.of(new Provenance(mode, builderId, reproducible));
    }
}

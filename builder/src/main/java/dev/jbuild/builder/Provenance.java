package dev.jbuild.builder;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A SLSA provenance attestation to attach to the images a build pushes or writes as an OCI layout, and
 * to write into the file trees it exports, as buildx's {@code --provenance} and {@code --attest
 * type=provenance} ask for it.
 *
 * @param mode         {@link Mode#MIN}: timestamps, the frontend and the materials; {@link Mode#MAX}
 *                     adds build-arg and label values, secret and SSH ids and the Dockerfile
 * @param builderId    the builder's id ({@code builder-id=}); empty: the CI run's URL where one is known
 * @param reproducible whether the build is declared byte-for-byte reproducible ({@code reproducible=true})
 * @param version      the SLSA provenance version of the predicate ({@code version=v1|v0.2})
 * @param inlineOnly   only for images, none in file-tree outputs ({@code inline-only=true}, as
 *                     docker/build-push-action passes it)
 * @param filename     the statement's file name in file-tree outputs ({@code filename=})
 */
public record Provenance(Mode mode, Optional<String> builderId, boolean reproducible, Version version,
                         boolean inlineOnly, String filename) {
    /** How much the attestation records. */
    public enum Mode { MIN, MAX }

    /** The SLSA provenance versions BuildKit writes, and their predicate types. */
    public enum Version {
        V0_2("https://slsa.dev/provenance/v0.2"),
        V1("https://slsa.dev/provenance/v1");

        private final String predicateType;

        Version(String predicateType) {
            this.predicateType = predicateType;
        }

        /** The in-toto predicate type of this version. */
        public String predicateType() {
            return predicateType;
        }
    }

    /** The file a file-tree output carries the statement in unless {@code filename=} says otherwise, as BuildKit names it. */
    public static final String DEFAULT_FILENAME = "provenance.json";

    public Provenance {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(builderId, "builderId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(filename, "filename");
        if (filename.isEmpty() || filename.equals(".") || filename.equals("..") || filename.contains("/")
                || filename.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a provenance filename is a file name, not \"" + filename + "\"");
        }
    }

    /** Provenance v1, in images and in file-tree outputs as {@value #DEFAULT_FILENAME}. */
    public Provenance(Mode mode, Optional<String> builderId, boolean reproducible) {
        this(mode, builderId, reproducible, Version.V1, false, DEFAULT_FILENAME);
    }

    /**
     * Parses a {@code --provenance} value as buildx does: {@code true} or {@code 1} (mode=min),
     * {@code false} or {@code 0} (none), or {@code key=value} fields: {@code mode=min|max},
     * {@code builder-id=ID}, {@code reproducible=true}, {@code version=v1|v0.2}, {@code inline-only=true},
     * {@code filename=NAME}, {@code disabled=true}.
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
        Version version = Version.V1;
        boolean inlineOnly = false;
        String filename = DEFAULT_FILENAME;
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
                case "version" -> version = switch (fieldValue) {
                    case "v1" -> Version.V1;
                    case "v0.2" -> Version.V0_2;
                    default -> throw new IllegalArgumentException(option + ": version is v1 or v0.2, not \""
                            + fieldValue + "\"");
                };
                case "inline-only" -> inlineOnly = Boolean.parseBoolean(fieldValue);
                case "filename" -> filename = fieldValue;
                default -> throw new IllegalArgumentException(option + ": unknown field \"" + key + "\"");
            }
        }
        try {
            return Optional.of(new Provenance(mode, builderId, reproducible, version, inlineOnly, filename));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}

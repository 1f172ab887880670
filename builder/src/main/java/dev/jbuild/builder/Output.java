package dev.jbuild.builder;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a built image goes besides the store: {@code --push} and the {@code --output} exporters. A
 * file destination of {@code -} ({@link #STANDARD_OUTPUT}) is the process's standard output.
 */
public sealed interface Output {
    /** The destination that stands for standard output, as in buildx's {@code dest=-}. */
    Path STANDARD_OUTPUT = Path.of("-");

    /** True when this output writes to standard output. */
    default boolean toStandardOutput() {
        return false;
    }

    /** An output written as one file (or, for an OCI layout, a directory), which may be standard output. */
    sealed interface FileOutput extends Output permits OciLayout, DockerArchive, Tarball {
        /** Where it is written; {@link #STANDARD_OUTPUT} for standard output. */
        Path destination();

        @Override
        default boolean toStandardOutput() {
            return destination().equals(STANDARD_OUTPUT);
        }
    }

    /**
     * Push every tag of the image to its registry ({@code --push}, {@code type=registry} or
     * {@code type=image,push=true}); {@code name=} adds a tag, as with buildx.
     */
    record Registry(List<String> names) implements Output {
        public Registry {
            names = List.copyOf(names);
        }

        /** A push to the tags alone. */
        public Registry() {
            this(List.of());
        }
    }

    /** Write an OCI image layout tar ({@code type=oci,dest=FILE}) or directory ({@code tar=false}). */
    record OciLayout(Path destination, boolean tar) implements FileOutput {
        public OciLayout {
            Objects.requireNonNull(destination, "destination");
            if (!tar && destination.equals(STANDARD_OUTPUT)) {
                throw new IllegalArgumentException("an OCI layout directory (tar=false) cannot go to standard output");
            }
        }
    }

    /** Write a {@code docker save} archive that {@code docker load} reads ({@code type=docker,dest=FILE}). */
    record DockerArchive(Path destination) implements FileOutput {
        public DockerArchive {
            Objects.requireNonNull(destination, "destination");
        }
    }

    /** Write the image's flattened file tree as one tar ({@code type=tar,dest=FILE}; {@code -o -} for standard output). */
    record Tarball(Path destination) implements FileOutput {
        public Tarball {
            Objects.requireNonNull(destination, "destination");
        }
    }

    /**
     * Only the store, which receives every built image anyway: buildx's outputs into the image store of
     * the machine ({@code type=image} without a push, {@code type=docker} without a destination, as
     * {@code --load} gives it) and {@code type=cacheonly}; {@code name=} adds a tag.
     */
    record LocalStore(List<String> names) implements Output {
        public LocalStore {
            names = List.copyOf(names);
        }
    }

    /** Write the image's flattened file tree into a directory ({@code type=local,dest=DIR}). */
    record LocalDirectory(Path destination) implements Output {
        public LocalDirectory {
            Objects.requireNonNull(destination, "destination");
        }
    }

    /**
     * Parses one {@code --output} value as Docker does: {@code type=T,dest=D[,key=value…]}, a bare
     * path meaning {@code type=local,dest=PATH}, or {@code -} meaning {@code type=tar,dest=-} (as does
     * {@code type=local,dest=-}).
     */
    static Output parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.isBlank()) {
            throw new IllegalArgumentException("empty --output");
        }
        if (spec.equals("-")) {
            return new Tarball(STANDARD_OUTPUT);
        }
        if (!spec.contains("=")) {
            return new LocalDirectory(Path.of(spec));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : spec.split(",")) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("invalid --output field \"" + field + "\" in \"" + spec
                        + "\" (expected key=value)");
            }
            fields.put(field.substring(0, equals).trim().toLowerCase(Locale.ROOT), field.substring(equals + 1).trim());
        }
        String type = fields.getOrDefault("type", "local").toLowerCase(Locale.ROOT);
        String destination = fields.get("dest");
        List<String> names = fields.containsKey("name") ? List.of(fields.get("name")) : List.of();
        return switch (type) {
            case "registry" -> new Registry(names);
            case "image" -> Boolean.parseBoolean(fields.getOrDefault("push", "false")) ? new Registry(names)
                    : new LocalStore(names);
            case "cacheonly" -> new LocalStore(List.of());
            case "oci" -> new OciLayout(required(destination, type), Boolean.parseBoolean(fields.getOrDefault("tar", "true")));
            case "docker" -> destination == null ? new LocalStore(names) : new DockerArchive(required(destination, type));
            case "local" -> {
                // as buildx: a file tree cannot go to standard output as a directory, so it goes as a tar
                Path directory = required(destination, type);
                yield directory.equals(STANDARD_OUTPUT) ? new Tarball(directory) : new LocalDirectory(directory);
            }
            case "tar" -> new Tarball(required(destination, type));
            default -> throw new IllegalArgumentException("unknown --output type \"" + type
                    + "\" (expected local, tar, oci, docker, registry, image or cacheonly)");
        };
    }

    private static Path required(String destination, String type) {
        if (destination == null || destination.isEmpty()) {
            throw new IllegalArgumentException("--output type=" + type + " needs dest=PATH");
        }
        return Path.of(destination);
    }
}

package dev.jbuild.builder;

import dev.jbuild.oci.Reference;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where build cache is shared between machines: read with {@code --cache-from}, written with
 * {@code --cache-to}. The cache is an OCI image index whose manifests are step results, each
 * annotated with its step's cache key.
 */
public sealed interface CacheLocation {
    /** The index under a registry tag ({@code type=registry,ref=REGISTRY/REPO:TAG}). */
    record Registry(String reference) implements CacheLocation {
        public Registry {
            Objects.requireNonNull(reference, "reference");
            if (Reference.parse(reference).digest() != null) {
                throw new IllegalArgumentException("cache ref \"" + reference + "\" must be a tag, not a digest");
            }
        }

        @Override
        public String tag() {
            return Reference.parse(reference).tag();
        }

        @Override
        public String toString() {
            return reference;
        }
    }

    /** The index under a tag of an OCI image layout directory ({@code type=local,dest=DIR} or {@code src=DIR}). */
    record LocalDirectory(Path directory, String tag) implements CacheLocation {
        public LocalDirectory {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(tag, "tag");
        }

        @Override
        public String toString() {
            return directory + ":" + tag;
        }
    }

    /** The tag the cache index is under. */
    String tag();

    /** The tag a local cache directory uses unless {@code tag=} says otherwise, as BuildKit's. */
    String DEFAULT_LOCAL_TAG = "latest";

    /**
     * Parses a {@code --cache-from} value: {@code type=registry,ref=REF}, {@code type=local,src=DIR[,tag=T]},
     * or a bare image reference meaning {@code type=registry}.
     */
    static CacheLocation parseImport(String spec) {
        Map<String, String> fields = CacheSpecs.fields("--cache-from", spec);
        String type = fields.getOrDefault("type", "registry");
        return switch (type) {
            case "registry" -> {
                CacheSpecs.onlyKnown(fields, "--cache-from", Set.of("type", "ref"));
                yield new Registry(CacheSpecs.required(fields, "ref", "--cache-from", type));
            }
            case "local" -> {
                CacheSpecs.onlyKnown(fields, "--cache-from", Set.of("type", "src", "tag"));
                yield new LocalDirectory(Path.of(CacheSpecs.required(fields, "src", "--cache-from", type)),
                        fields.getOrDefault("tag", DEFAULT_LOCAL_TAG));
            }
            default -> throw CacheSpecs.unsupported("--cache-from", type);
        };
    }
}

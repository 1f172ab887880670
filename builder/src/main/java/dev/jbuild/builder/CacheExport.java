package dev.jbuild.builder;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code --cache-to}: where the build's step results go for other machines' {@code --cache-from}.
 *
 * @param location    the registry tag or OCI layout directory that receives the cache
 * @param allStages   {@code mode=max}: every step of every stage the build ran; else ({@code mode=min},
 *                    the default, as BuildKit's) only the steps of the stages the image is made of
 * @param ignoreError {@code ignore-error=true}: a failed export is reported and the build still succeeds
 */
public record CacheExport(CacheLocation location, boolean allStages, boolean ignoreError) {
    private static final Set<String> IGNORED = Set.of("oci-mediatypes", "image-manifest", "compression");

    public CacheExport {
        Objects.requireNonNull(location, "location");
    }

    /**
     * Parses a {@code --cache-to} value: {@code type=registry,ref=REF} or {@code type=local,dest=DIR[,tag=T]},
     * with {@code mode=min|max} and {@code ignore-error=true|false}. BuildKit's {@code oci-mediatypes} and
     * {@code image-manifest} are accepted and change nothing (the cache is always OCI, with image
     * manifests), as is {@code compression=gzip}.
     */
    public static CacheExport parse(String spec) {
        Map<String, String> fields = CacheSpecs.fields("--cache-to", spec);
        String type = fields.getOrDefault("type", "registry");
        String compression = fields.getOrDefault("compression", "gzip");
        if (!compression.equals("gzip")) {
            throw new IllegalArgumentException("--cache-to compression=" + compression
                    + " is not supported (cache layers are gzip)");
        }
        CacheLocation location = switch (type) {
            case "registry" -> {
                CacheSpecs.onlyKnown(fields, "--cache-to", union(Set.of("type", "ref", "mode", "ignore-error")));
                yield new CacheLocation.Registry(CacheSpecs.required(fields, "ref", "--cache-to", type));
            }
            case "local" -> {
                CacheSpecs.onlyKnown(fields, "--cache-to", union(Set.of("type", "dest", "tag", "mode", "ignore-error")));
                yield new CacheLocation.LocalDirectory(Path.of(CacheSpecs.required(fields, "dest", "--cache-to", type)),
                        fields.getOrDefault("tag", CacheLocation.DEFAULT_LOCAL_TAG));
            }
            default -> throw CacheSpecs.unsupported("--cache-to", type);
        };
        String mode = fields.getOrDefault("mode", "min");
        if (!mode.equals("min") && !mode.equals("max")) {
            throw new IllegalArgumentException("--cache-to mode must be min or max, not \"" + mode + "\"");
        }
        return new CacheExport(location, mode.equals("max"), Boolean.parseBoolean(fields.getOrDefault("ignore-error", "false")));
    }

    private static Set<String> union(Set<String> known) {
        Set<String> all = new java.util.HashSet<>(known);
        all.addAll(IGNORED);
        return all;
    }
}

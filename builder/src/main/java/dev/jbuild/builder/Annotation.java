package dev.jbuild.builder;

import dev.jbuild.oci.Platform;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code --annotation}: an OCI annotation the build writes on the image manifest, the index, or
 * the index's descriptors of the manifests, as buildx does.
 *
 * @param levels   where it goes
 * @param platform for a manifest or its descriptor: only that platform's; empty for every platform
 * @param key      the annotation's key
 * @param value    its value
 */
public record Annotation(Set<Level> levels, Optional<Platform> platform, String key, String value) {
    /** Where an annotation is written. */
    public enum Level {
        /** The image manifest (the default). */
        MANIFEST,
        /** The index of a multi-platform build. */
        INDEX,
        /** The index's descriptor of each image manifest. */
        MANIFEST_DESCRIPTOR
    }

    public Annotation {
        levels = Set.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("an annotation needs a level");
        }
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("an annotation needs a key");
        }
    }

    /**
     * Parses {@code KEY=VALUE} (on the manifest) or {@code TYPE[,TYPE…][[PLATFORM]]:KEY=VALUE}, where TYPE is
     * {@code manifest}, {@code index} or {@code manifest-descriptor}.
     */
    public static Annotation parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        int equals = spec.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("invalid --annotation \"" + spec + "\" (expected [TYPE:]KEY=VALUE)");
        }
        String left = spec.substring(0, equals);
        String value = spec.substring(equals + 1);
        int colon = left.indexOf(':');
        int bracket = left.indexOf('[');
        // a type prefix is what comes before the first colon, unless the key itself has one (e.g. a URN)
        if (colon < 0 || !isTypePrefix(left.substring(0, colon))) {
            return new Annotation(Set.of(Level.MANIFEST), Optional.empty(), left, value);
        }
        String types = left.substring(0, colon);
        Optional<Platform> platform = Optional.empty();
        if (bracket >= 0 && bracket < colon) {
            if (!types.endsWith("]")) {
                throw new IllegalArgumentException("invalid --annotation \"" + spec + "\" (expected TYPE[PLATFORM]:KEY=VALUE)");
            }
            platform = Optional.of(Platform.parse(types.substring(bracket + 1, types.length() - 1)));
            types = types.substring(0, bracket);
        }
        Set<Level> levels = EnumSet.noneOf(Level.class);
        for (String type : types.split(",")) {
            levels.add(switch (type.strip().toLowerCase(Locale.ROOT)) {
                case "manifest" -> Level.MANIFEST;
                case "index" -> Level.INDEX;
                case "manifest-descriptor" -> Level.MANIFEST_DESCRIPTOR;
                default -> throw new IllegalArgumentException("unsupported --annotation type \"" + type
                        + "\" (jbuild writes manifest, index and manifest-descriptor annotations)");
            });
        }
        if (platform.isPresent() && levels.contains(Level.INDEX)) {
            throw new IllegalArgumentException("--annotation \"" + spec + "\": an index annotation has no platform");
        }
        return new Annotation(levels, platform, left.substring(colon + 1), value);
    }

    private static boolean isTypePrefix(String prefix) {
        String types = prefix.contains("[") ? prefix.substring(0, prefix.indexOf('[')) : prefix;
        return types.matches("[a-zA-Z-]+(,[a-zA-Z-]+)*");
    }

    /** True when it belongs at {@code level} for an image of {@code imagePlatform}. */
    public boolean appliesTo(Level level, Platform imagePlatform) {
        return levels.contains(level) && platform.map(wanted -> wanted.matches(imagePlatform)).orElse(true);
    }
}

package dev.jbuild.builder;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import java.util.Objects;

/**
 * One step of a build as the cache knows it: what {@code --cache-to} exports.
 *
 * @param key     the step's cache key
 * @param result  the image manifest, in the store, of the state the step produced
 * @param inImage true when the step belongs to a stage the built image is made of (the target stage
 *                and the stages it starts FROM), which is what {@code mode=min} exports
 */
public record CachedStep(Digest key, Descriptor result, boolean inImage) {
    public CachedStep {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(result, "result");
    }
}

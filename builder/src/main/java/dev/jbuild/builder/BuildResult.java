package dev.jbuild.builder;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a build made.
 *
 * @param manifest     the image manifest's descriptor in the store (its digest is the image digest)
 * @param exported     what a registry or OCI layout output received: the same image with gzip layers
 *                     (see {@code Store.withCompressedLayers}); {@code manifest} when the build had no such output
 * @param configDigest the digest of the image config (the image ID Docker prints)
 * @param tags         the tags the store now has for it
 * @param steps        the cached steps the build ran or reused, in the order they finished
 * @param startedOn    when the build started
 * @param finishedOn   when its image was complete, before any export
 * @param materials    the images, downloads and git commits it fetched, in the order it first used them
 * @param hermetic     whether every RUN step it ran or reused had no network ({@code --network=none}), as
 *                     BuildKit's provenance defines a hermetic build
 */
public record BuildResult(Descriptor manifest, Descriptor exported, Digest configDigest, List<String> tags,
                          List<CachedStep> steps, Instant startedOn, Instant finishedOn, List<Material> materials,
                          boolean hermetic) {
    public BuildResult {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(exported, "exported");
        Objects.requireNonNull(configDigest, "configDigest");
        tags = List.copyOf(tags);
        steps = List.copyOf(steps);
        Objects.requireNonNull(startedOn, "startedOn");
        Objects.requireNonNull(finishedOn, "finishedOn");
        materials = List.copyOf(materials);
    }

    /** The image (manifest) digest. */
    public Digest imageDigest() {
        return manifest.digest();
    }
}

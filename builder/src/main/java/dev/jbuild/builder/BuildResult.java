package dev.jbuild.builder;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import java.util.List;
import java.util.Objects;

/**
 * What a build made.
 *
 * @param manifest     the image manifest's descriptor (its digest is the image digest)
 * @param configDigest the digest of the image config (the image ID Docker prints)
 * @param tags         the tags the store now has for it
 */
public record BuildResult(Descriptor manifest, Digest configDigest, List<String> tags) {
    public BuildResult {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(configDigest, "configDigest");
        tags = List.copyOf(tags);
    }

    /** The image (manifest) digest. */
    public Digest imageDigest() {
        return manifest.digest();
    }
}

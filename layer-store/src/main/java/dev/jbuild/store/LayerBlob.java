package dev.jbuild.store;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.MediaType;
import java.util.Objects;

/**
 * A layer blob just written by {@link LayerWriter}: its media type, compressed digest and size
 * (the blob), and the diffID and size of the uncompressed tar (for the config's rootfs).
 */
public record LayerBlob(String mediaType, Digest digest, long size, Digest diffId, long uncompressedSize) {
    public LayerBlob {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(diffId, "diffId");
        if (!MediaType.isLayer(mediaType)) {
            throw new IllegalArgumentException("not a layer media type: " + mediaType);
        }
        if (size < 0 || uncompressedSize < 0) {
            throw new IllegalArgumentException("negative layer size");
        }
    }

    /** The descriptor of this blob for a manifest's {@code layers}. */
    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest, size);
    }
}

package dev.jbuild.oci;

import java.io.IOException;

/** A multi-platform image (OCI index or Docker manifest list) whose children are images or indexes. */
public interface ImageIndex {
    /** The index's descriptor: media type, digest and size of {@link #rawIndex()}. */
    Descriptor descriptor();

    /** The index exactly as stored or received. */
    byte[] rawIndex() throws IOException;

    /** The child image a descriptor of this index points to. */
    Image image(Descriptor child) throws IOException;

    /** The child index a descriptor of this index points to. */
    ImageIndex childIndex(Descriptor child) throws IOException;

    default Digest digest() {
        return descriptor().digest();
    }

    default Index index() throws IOException {
        return Index.parse(rawIndex());
    }
}

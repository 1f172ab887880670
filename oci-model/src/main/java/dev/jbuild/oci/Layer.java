package dev.jbuild.oci;

import java.io.IOException;
import java.io.InputStream;

/** One filesystem layer of an image: its compressed blob (by digest) and the digest of its tar (diffID). */
public interface Layer {
    /** The blob's descriptor: media type (with compression), compressed digest and size. */
    Descriptor descriptor();

    /** The digest of the uncompressed tar, as listed in the config's {@code rootfs.diff_ids}. */
    Digest diffId();

    /** The compressed blob; the caller closes it. Implementations verify the digest as it streams. */
    InputStream compressed() throws IOException;

    default Digest digest() {
        return descriptor().digest();
    }

    default long size() {
        return descriptor().size();
    }

    default String mediaType() {
        return descriptor().mediaType();
    }
}

package dev.jbuild.oci;

import java.io.IOException;
import java.io.InputStream;

/**
 * Somewhere content can be written to by digest: a registry repository, an OCI layout, a
 * docker-archive or the store. Content is published only after its size and digest are verified.
 */
public interface ContentSink {
    /** True when the sink already holds this content (so a copy can skip it). */
    boolean contains(Descriptor descriptor) throws IOException;

    /** Writes content, failing with {@link DigestMismatchException} and publishing nothing when it does not match. */
    void write(Descriptor descriptor, InputStream content) throws IOException;

    /** Points a tag at a manifest or index this sink already holds. */
    void tag(String tag, Descriptor descriptor) throws IOException;
}

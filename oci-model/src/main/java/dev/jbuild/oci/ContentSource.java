package dev.jbuild.oci;

import java.io.IOException;
import java.io.InputStream;

/**
 * Somewhere content can be read from by digest: a registry repository, an OCI layout, a
 * docker-archive or the store. Copying between any source and any {@link ContentSink} is one
 * generic walk of the manifest graph.
 */
public interface ContentSource {
    /** The descriptor of the manifest or index a tag or digest names in this source. */
    Descriptor resolve(String tagOrDigest) throws IOException;

    /**
     * The content a descriptor points to. The stream verifies size and digest as it is read
     * and fails at the end on a mismatch, so callers must read it to the end.
     */
    InputStream open(Descriptor descriptor) throws IOException;

    /** The whole content of a small blob (a manifest, index or config), verified. */
    default byte[] readAll(Descriptor descriptor) throws IOException {
        try (InputStream in = open(descriptor)) {
            return in.readAllBytes();
        }
    }
}

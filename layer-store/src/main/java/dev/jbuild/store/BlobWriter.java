package dev.jbuild.store;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.store.internal.Ingest;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Streams a new blob into a layout or the store, for content produced on the fly (a layer being
 * compressed, a config being written). Nothing is visible until {@link #commit}; closing without
 * committing discards the bytes.
 */
public final class BlobWriter extends OutputStream {
    private final Ingest ingest;

    BlobWriter(Ingest ingest) {
        this.ingest = ingest;
    }

    @Override
    public void write(int b) throws IOException {
        ingest.write(b);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        ingest.write(buffer, offset, length);
    }

    /** Bytes written so far. */
    public long size() {
        return ingest.size();
    }

    /** The digest of everything written, which the store verifies on commit; nothing more may be written. */
    public Digest digest() {
        return ingest.digest();
    }

    /** Makes the blob durable and visible under the digest of what was written; returns its descriptor. */
    public Descriptor commit(String mediaType) throws IOException {
        long size = ingest.size();
        Digest digest = ingest.commit();
        return new Descriptor(mediaType, digest, size);
    }

    /** Discards the bytes unless committed. */
    @Override
    public void close() throws IOException {
        ingest.abort();
    }
}

package dev.jbuild.store.internal;

import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;

/** Tells a manifest from an index by its JSON, for content named only by digest (which carries no media type). */
public final class MediaTypeSniffer {
    /** Larger blobs are not manifests or indexes; we do not read a layer to find that out. */
    public static final long MAX_DOCUMENT_SIZE = 4L << 20;

    private MediaTypeSniffer() {
    }

    /** The media type of a manifest or index document, or empty when it is neither. */
    public static String mediaTypeOf(byte[] json) {
        try {
            Manifest manifest = Manifest.parse(json);
            return manifest.mediaType().isEmpty() ? MediaType.OCI_MANIFEST : manifest.mediaType();
        } catch (RuntimeException notAManifest) {
            try {
                Index index = Index.parse(json);
                return index.mediaType().isEmpty() ? MediaType.OCI_INDEX : index.mediaType();
            } catch (RuntimeException notAnIndex) {
                return "";
            }
        }
    }
}

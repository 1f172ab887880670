package dev.jbuild.store;

import dev.jbuild.oci.ContentSink;
import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Copies an image or index between any content source and sink (OCI layout, store, registry):
 * children before parents, so a sink never holds a manifest whose blobs are missing, skipping
 * what the sink already has, and tagging last. Nondistributable layers that carry URLs stay
 * behind, as registries and skopeo treat them.
 */
public final class ImageCopy {
    private ImageCopy() {
    }

    /** Copies what {@code reference} names in {@code source} into {@code sink} and tags it {@code tag}; returns its descriptor. */
    public static Descriptor copy(ContentSource source, String reference, ContentSink sink, String tag)
            throws IOException {
        Descriptor root = source.resolve(reference);
        copyContent(source, root, sink);
        sink.tag(tag, root);
        return root;
    }

    /** Copies a manifest or index and everything below it, without tagging. */
    public static void copyContent(ContentSource source, Descriptor root, ContentSink sink) throws IOException {
        if (sink.contains(root)) {
            return;
        }
        if (MediaType.isIndex(root.mediaType()) || MediaType.isManifest(root.mediaType())) {
            byte[] document = source.readAll(root);
            if (MediaType.isIndex(root.mediaType())) {
                for (Descriptor child : Index.parse(document).manifests()) {
                    copyContent(source, child, sink);
                }
            } else {
                Manifest manifest = Manifest.parse(document);
                copyBlob(source, manifest.config(), sink);
                for (Descriptor layer : manifest.layers()) {
                    copyBlob(source, layer, sink);
                }
            }
            sink.write(root, new ByteArrayInputStream(document));
            return;
        }
        copyBlob(source, root, sink);
    }

    private static void copyBlob(ContentSource source, Descriptor blob, ContentSink sink) throws IOException {
        if (!blob.urls().isEmpty() && MediaType.isNondistributable(blob.mediaType())) {
            return;
        }
        if (sink.contains(blob)) {
            return;
        }
        try (InputStream in = source.open(blob)) {
            sink.write(blob, in);
        }
    }
}

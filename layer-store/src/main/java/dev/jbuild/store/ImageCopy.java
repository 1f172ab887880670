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
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Copies an image or index between any content source and sink (OCI layout, store, registry):
 * children before parents, so a sink never holds a manifest whose blobs are missing, skipping
 * what the sink already has, and tagging last. An image's blobs are copied concurrently on
 * virtual threads, at most {@link #PARALLEL_BLOBS} at a time. Nondistributable layers that carry
 * URLs stay behind, as registries and skopeo treat them.
 */
public final class ImageCopy {
    /** How many blobs of one image are copied at once. */
    public static final int PARALLEL_BLOBS = 4;

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
                List<Descriptor> blobs = new ArrayList<>();
                blobs.add(manifest.config());
                blobs.addAll(manifest.layers());
                copyBlobs(source, blobs, sink);
            }
            sink.write(root, new ByteArrayInputStream(document));
            return;
        }
        copyBlob(source, root, sink);
    }

    private static void copyBlobs(ContentSource source, List<Descriptor> blobs, ContentSink sink)
            throws IOException {
        Semaphore slots = new Semaphore(PARALLEL_BLOBS);
        List<Future<Void>> copies = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Descriptor blob : new LinkedHashSet<>(blobs)) {
                copies.add(executor.submit(() -> {
                    slots.acquire();
                    try {
                        copyBlob(source, blob, sink);
                        return null;
                    } finally {
                        slots.release();
                    }
                }));
            }
            try {
                for (Future<Void> copy : copies) {
                    await(copy);
                }
            } catch (IOException firstFailure) {
                copies.forEach(copy -> copy.cancel(true));
                throw firstFailure;
            }
        }
    }

    private static void await(Future<Void> copy) throws IOException {
        try {
            copy.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while copying");
        }
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

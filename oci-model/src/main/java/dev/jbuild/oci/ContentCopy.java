package dev.jbuild.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * Copies an image or index from any {@link ContentSource} to any {@link ContentSink}: walks the
 * index to its manifests and each manifest to its config and layers, transfers every blob the
 * sink lacks once (concurrently on virtual threads, a bounded number at a time), then writes the
 * manifests children first, so a sink never holds a manifest whose content is missing.
 *
 * @param platform the platform to pick from an index, or null to copy every manifest of it
 * @param concurrency how many blobs may be in flight at once
 */
public record ContentCopy(ContentSource source, ContentSink sink, Platform platform, int concurrency,
        Listener listener) {

    /** What a copy reports as it goes; all methods may be called from several threads at once. */
    public interface Listener {
        /** A listener that ignores everything. */
        Listener NONE = new Listener() {
        };

        /** The blobs and manifests that make up what is being copied, before any transfer. */
        default void planned(List<Descriptor> blobs, List<Descriptor> manifests) {
        }

        /** The sink already had this blob or manifest. */
        default void skipped(Descriptor descriptor) {
        }

        /** A blob transfer started. */
        default void started(Descriptor blob) {
        }

        /** {@code bytes} more bytes of a blob were read from the source. */
        default void progressed(Descriptor blob, long bytes) {
        }

        /** A blob or manifest is now in the sink. */
        default void finished(Descriptor descriptor) {
        }

        /** The sink took a started blob without reading it: a registry mounted it from another repository. */
        default void mounted(Descriptor blob) {
        }
    }

    /**
     * A source that can also hand out a blob without hashing it. A copy reads blobs this way,
     * because every {@link ContentSink} verifies what it is given before publishing it: one hash
     * per byte instead of two.
     */
    public interface UnverifiedSource {
        /** The blob's bytes as stored or served, not checked against the descriptor. */
        InputStream openUnverified(Descriptor descriptor) throws IOException;
    }

    /**
     * What a copy wrote: the root's descriptor and how many bytes of blobs moved, and how many the
     * sink already had or took without reading them (mounted).
     */
    public record Result(Descriptor root, long bytesTransferred, long bytesSkipped) {
    }

    public ContentCopy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sink, "sink");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        listener = listener == null ? Listener.NONE : listener;
    }

    /**
     * Copies what {@code tagOrDigest} names in the source, and points {@code destinationTag} at it
     * in the sink unless that is empty. When the source names an index and a platform is set, only
     * the matching manifest is copied and it becomes the root.
     */
    public Result copy(String tagOrDigest, String destinationTag) throws IOException {
        Descriptor root = source.resolve(tagOrDigest);
        return copy(root, destinationTag);
    }

    /** Copies the manifest or index {@code root} describes; see {@link #copy(String, String)}. */
    public Result copy(Descriptor root, String destinationTag) throws IOException {
        root = pickPlatform(root);
        Map<Digest, Node> manifests = new LinkedHashMap<>();
        Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
        walk(root, manifests, blobs, 0);
        listener.planned(List.copyOf(blobs.values()),
                manifests.values().stream().map(Node::descriptor).toList());
        long[] totals = transferBlobs(List.copyOf(blobs.values()));
        for (Node node : manifests.values()) {
            if (sink.contains(node.descriptor())) {
                listener.skipped(node.descriptor());
            } else {
                sink.write(node.descriptor(), new java.io.ByteArrayInputStream(node.bytes()));
                listener.finished(node.descriptor());
            }
        }
        if (destinationTag != null && !destinationTag.isEmpty()) {
            sink.tag(destinationTag, root);
        }
        return new Result(root, totals[0], totals[1]);
    }

    private record Node(Descriptor descriptor, byte[] bytes) {
    }

    private Descriptor pickPlatform(Descriptor root) throws IOException {
        Descriptor current = root;
        for (int depth = 0; platform != null && MediaType.isIndex(current.mediaType()); depth++) {
            if (depth > 8) {
                throw new IOException("indexes nested more than 8 deep under " + root.digest());
            }
            Index index = parseIndex(current, source.readAll(current));
            Descriptor parent = current;
            current = index.find(platform).or(() -> index.manifests().stream()
                            .filter(d -> MediaType.isIndex(d.mediaType())).findFirst())
                    .orElseThrow(() -> new IOException("no manifest for platform " + platform.format() + " in index "
                            + parent.digest() + " (it has " + platformsOf(index) + "); use --platform or "
                            + "--all-platforms"));
        }
        return current;
    }

    private static String platformsOf(Index index) {
        String platforms = index.manifests().stream()
                .map(d -> d.platform() == null ? "unknown" : d.platform().format())
                .collect(Collectors.joining(", "));
        return platforms.isEmpty() ? "no manifests" : platforms;
    }

    /** Collects manifests in post-order (children before parents) and the distinct blobs they need. */
    private void walk(Descriptor descriptor, Map<Digest, Node> manifests, Map<Digest, Descriptor> blobs, int depth)
            throws IOException {
        if (manifests.containsKey(descriptor.digest())) {
            return;
        }
        if (depth > 8) {
            throw new IOException("indexes nested more than 8 deep at " + descriptor.digest());
        }
        byte[] bytes = source.readAll(descriptor);
        if (MediaType.isIndex(descriptor.mediaType())) {
            for (Descriptor child : parseIndex(descriptor, bytes).manifests()) {
                if (MediaType.isIndex(child.mediaType()) || MediaType.isManifest(child.mediaType())) {
                    walk(child, manifests, blobs, depth + 1);
                } else {
                    blobs.putIfAbsent(child.digest(), child);
                }
            }
        } else {
            Manifest manifest;
            try {
                manifest = Manifest.parse(bytes);
            } catch (IllegalArgumentException e) {
                throw new IOException("manifest " + descriptor.digest() + " is invalid: " + e.getMessage(), e);
            }
            blobs.putIfAbsent(manifest.config().digest(), manifest.config());
            for (Descriptor layer : manifest.layers()) {
                if (!(MediaType.isNondistributable(layer.mediaType()) && !layer.urls().isEmpty())) {
                    blobs.putIfAbsent(layer.digest(), layer);
                }
            }
        }
        manifests.put(descriptor.digest(), new Node(descriptor, bytes));
    }

    private static Index parseIndex(Descriptor descriptor, byte[] bytes) throws IOException {
        try {
            return Index.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IOException("index " + descriptor.digest() + " is invalid: " + e.getMessage(), e);
        }
    }

    /** Transfers the blobs the sink lacks; returns {bytes transferred, bytes already present or mounted}. */
    private long[] transferBlobs(List<Descriptor> blobs) throws IOException {
        long[] totals = new long[2];
        Semaphore permits = new Semaphore(concurrency);
        List<Future<Boolean>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Descriptor blob : blobs) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return transfer(blob);
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                boolean transferred = await(futures.get(i), futures);
                totals[transferred ? 0 : 1] += blobs.get(i).size();
            }
        }
        return totals;
    }

    private static boolean await(Future<Boolean> future, List<Future<Boolean>> all) throws IOException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            all.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        } catch (InterruptedException e) {
            all.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while copying blobs");
        }
    }

    private boolean transfer(Descriptor blob) throws IOException {
        if (sink.contains(blob)) {
            listener.skipped(blob);
            return false;
        }
        listener.started(blob);
        boolean read;
        try (LazySourceStream content = new LazySourceStream(blob)) {
            sink.write(blob, content);
            read = content.opened();
        }
        if (!read) {
            listener.mounted(blob);
            return false;
        }
        listener.finished(blob);
        return true;
    }

    /**
     * Opens the source only when the sink first reads, so a sink that needs no bytes (a registry
     * that mounts the blob from another repository) costs no download; reports progress.
     */
    private final class LazySourceStream extends InputStream {
        private final Descriptor blob;
        private InputStream in;

        LazySourceStream(Descriptor blob) {
            this.blob = blob;
        }

        /** Whether the sink read anything, so the source was opened. */
        boolean opened() {
            return in != null;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                in = source instanceof UnverifiedSource unverified ? unverified.openUnverified(blob) : source.open(blob);
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            int b = in().read();
            if (b >= 0) {
                listener.progressed(blob, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in().read(buffer, offset, length);
            if (n > 0) {
                listener.progressed(blob, n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }
}

package dev.jbuild.store.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.store.PruneReport;
import dev.jbuild.store.StoreException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The store's garbage collector: marks from every tag and cache record through indexes,
 * manifests, configs and layers, then removes unmarked blobs and unpacked layers older than a
 * grace period, plus leftovers of writers and builds that died. It holds the index lock
 * throughout, so no tag can appear mid-collection; the grace period protects content a writer has stored but not
 * yet tagged (the store refreshes a blob's time whenever a writer finds it already present).
 */
public final class Collector {
    private final Path root;
    private final BlobStore blobs;
    private final IndexFile index;
    private final CacheRecords cache;
    private final CacheRecords compressed;
    private final LayerCache layers;

    public Collector(Path root, BlobStore blobs, IndexFile index, CacheRecords cache, CacheRecords compressed,
                     LayerCache layers) {
        this.root = root;
        this.blobs = blobs;
        this.index = index;
        this.cache = cache;
        this.compressed = compressed;
        this.layers = layers;
    }

    public PruneReport collect(Duration grace) throws IOException {
        FileTime cutoff = FileTime.from(Instant.now().minus(grace));
        try (FileLocks.Held held = index.lock()) {
            Reachability reachability = new Reachability(blobs);
            for (Descriptor entry : index.read().manifests()) {
                reachability.mark(entry, Checker.rootName(entry));
            }
            for (var record : cache.all().entrySet()) {
                reachability.mark(record.getValue(), "cache record " + record.getKey());
            }
            if (!reachability.unreadable().isEmpty()) {
                throw new StoreException("refusing to prune: cannot read "
                        + String.join(", ", reachability.describeUnreadable()) + " (run jbuild fsck)");
            }
            var reached = reachability.blobs();
            var liveChains = reachability.chainIds();
            long blobsRemoved = 0;
            long bytesFreed = 0;
            for (Digest digest : blobs.list()) {
                if (reached.contains(digest)) {
                    continue;
                }
                Path path = blobs.path(digest);
                try {
                    if (Files.getLastModifiedTime(path).compareTo(cutoff) > 0) {
                        continue;
                    }
                    long size = Files.size(path);
                    if (blobs.delete(digest)) {
                        blobsRemoved++;
                        bytesFreed += size;
                    }
                } catch (NoSuchFileException goneMeanwhile) {
                    continue;
                }
            }
            long layersRemoved = 0;
            for (Digest chainId : layers.list()) {
                Optional<FileTime> completed = layers.completedAt(chainId);
                if (!liveChains.contains(chainId)
                        && (completed.isEmpty() || completed.get().compareTo(cutoff) <= 0)) {
                    layers.remove(chainId.encoded());
                    layersRemoved++;
                }
            }
            long leftovers = blobs.removeAbandonedIngests() + layers.removeAbandoned()
                    + removeTempFiles(root, FileTime.from(Instant.now()))
                    + removeTempFiles(cache.directory(), cutoff)
                    + removeTempFiles(compressed.directory(), cutoff)
                    + removeStaleRecords(compressed)
                    + new BuildScratches(root).removeAbandoned(cutoff);
            return new PruneReport(blobsRemoved, bytesFreed, layersRemoved, leftovers);
        }
    }

    /**
     * Records of gzip blobs that are gone (removed above, or never published): they are not roots,
     * so an export that needs the blob again compresses the layer again.
     */
    private long removeStaleRecords(CacheRecords records) throws IOException {
        long removed = 0;
        for (var record : records.read().entrySet()) {
            if ((record.getValue().isEmpty() || !blobs.has(record.getValue().get().digest()))
                    && records.removeFile(record.getKey())) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Temporary files of atomic replacements older than {@code cutoff}; those beside index.json
     * are all dead while we hold its lock.
     */
    private static long removeTempFiles(Path directory, FileTime cutoff) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        long removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, Durable.TEMP_PREFIX + "*")) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(cutoff) <= 0
                        && Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        }
        return removed;
    }
}

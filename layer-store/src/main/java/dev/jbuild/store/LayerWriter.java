package dev.jbuild.store;

import com.github.luben.zstd.ZstdOutputStream;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Digester;
import dev.jbuild.oci.MediaType;
import dev.jbuild.store.internal.tar.LayerTarWriter;
import dev.jbuild.store.internal.tar.ParallelGzipOutputStream;
import dev.jbuild.store.internal.tar.TarWriter;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Writes a layer blob from a directory tree or a change list in one streaming pass: PAX tar in
 * path order, compressed (gzip by default, on all cores; zstd or none on request), while the diffID
 * (sha256 of the tar) and the blob digest and sizes are computed on the way to the caller's stream.
 * The same input and options always give the same bytes.
 */
public final class LayerWriter {
    private static final int BUFFER = 256 * 1024;

    private LayerWriter() {
    }

    /** Writes every file below {@code directory} (not the directory itself) as a layer to {@code out}. */
    public static LayerBlob writeDirectory(Path directory, OutputStream out, LayerWriteOptions options)
            throws IOException {
        return writeChanges(treeChanges(directory), out, options);
    }

    /**
     * Writes every file below {@code directory} as a layer to {@code out}, recording the owners in
     * {@code owners} (by path relative to {@code directory}) instead of those on disk.
     */
    public static LayerBlob writeDirectory(Path directory, OutputStream out, LayerWriteOptions options,
                                           Map<String, FileOwner> owners) throws IOException {
        return writeChanges(treeChanges(directory, owners), out, options);
    }

    /** Writes {@code changes} as a layer to {@code out}; the caller still owns (and closes) {@code out}. */
    public static LayerBlob writeChanges(List<LayerChange> changes, OutputStream out, LayerWriteOptions options)
            throws IOException {
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(options, "options");
        return encode(out, options, tar -> new LayerTarWriter(new TarWriter(tar), options.sourceDateEpoch()).writeAll(changes));
    }

    /**
     * Compresses the uncompressed layer {@code tar} into {@code out} as {@code options} say (their
     * mtime clamp does not apply: the entries are copied as they are); the caller still owns both
     * streams. The returned diffID is the digest of the bytes read.
     */
    public static LayerBlob compress(InputStream tar, OutputStream out, LayerWriteOptions options) throws IOException {
        Objects.requireNonNull(tar, "tar");
        Objects.requireNonNull(options, "options");
        return encode(out, options, tar::transferTo);
    }

    /** Where the tar bytes of a layer come from. */
    @FunctionalInterface
    private interface TarSource {
        void writeTo(OutputStream tar) throws IOException;
    }

    private static LayerBlob encode(OutputStream out, LayerWriteOptions options, TarSource source) throws IOException {
        Objects.requireNonNull(out, "out");
        // a blob of the store is hashed as it is written: hashing it here too would read every byte twice
        BlobWriter storeBlob = out instanceof BlobWriter writer ? writer : null;
        Digester blobDigester = Digester.sha256();
        Digester diffIdDigester = Digester.sha256();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService executor = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon()
                .name("layer-gzip-", 0).factory());
        try {
            OutputStream unclosed = new FilterOutputStream(out) {
                @Override
                public void write(byte[] buffer, int offset, int length) throws IOException {
                    out.write(buffer, offset, length);
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            };
            OutputStream blob = storeBlob != null ? unclosed : blobDigester.wrap(unclosed);
            OutputStream compressor = switch (options.compression()) {
                case GZIP -> new ParallelGzipOutputStream(blob, options.level(), executor, threads);
                case ZSTD -> new ZstdOutputStream(blob, options.level()).setWorkers(threads);
                case NONE -> blob;
            };
            boolean uncompressed = options.compression() == MediaType.Compression.NONE;
            OutputStream tarSink = uncompressed ? compressor : diffIdDigester.wrap(compressor);
            try (OutputStream tarStream = new BufferedOutputStream(tarSink, BUFFER)) {
                source.writeTo(tarStream);
            }
            Digest digest = storeBlob != null ? storeBlob.digest() : blobDigester.digest();
            long size = storeBlob != null ? storeBlob.size() : blobDigester.size();
            // an uncompressed blob is its own tar: one hash serves as digest and diffID
            return new LayerBlob(MediaType.layerType(options.compression(), false), digest, size,
                    uncompressed ? digest : diffIdDigester.digest(), uncompressed ? size : diffIdDigester.size());
        } finally {
            executor.shutdownNow();
        }
    }

    /** Every path below {@code directory} as a {@link LayerChange.Put}, without following symlinks. */
    public static List<LayerChange> treeChanges(Path directory) throws IOException {
        return treeChanges(directory, Map.of());
    }

    /** Every path below {@code directory} as a {@link LayerChange.Put}, with its owner from {@code owners} when listed there. */
    public static List<LayerChange> treeChanges(Path directory, Map<String, FileOwner> owners) throws IOException {
        Objects.requireNonNull(owners, "owners");
        List<LayerChange> changes = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (!path.equals(directory)) {
                    String name = relative(directory, path);
                    changes.add(new LayerChange.Put(name, path, Optional.ofNullable(owners.get(name))));
                }
            }
        }
        return changes;
    }

    private static String relative(Path base, Path path) {
        return base.relativize(path).toString();
    }
}

package dev.jbuild.store;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digester;
import dev.jbuild.oci.History;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.MediaType.Compression;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.store.internal.tar.LayerStreams;
import dev.jbuild.store.internal.tar.ParallelGzipOutputStream;
import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Makes a one-layer image from a root filesystem, as {@code docker import} does: a directory is
 * written as a layer by {@link LayerWriter}; a tarball (plain, gzip or zstd) becomes the layer
 * as it is, a plain one gzip-compressed on the way in. The platform goes into the config.
 */
public final class RootfsImport {
    private static final int TAR_BLOCK = 512;
    private static final int USTAR_MAGIC_OFFSET = 257;
    private static final int PIPE_BUFFER = 1 << 20;
    private static final int GZIP_LEVEL = 6;

    private RootfsImport() {
    }

    /** Imports {@code source} (a directory or a tarball) into {@code store} as {@code name}; returns the manifest. */
    public static Descriptor importRootfs(Store store, Path source, Reference name, Platform platform)
            throws IOException {
        if (!Files.exists(source)) {
            throw new StoreException("cannot import " + source + ": no such file or directory");
        }
        Instant now = Instant.now();
        LayerBlob layer = Files.isDirectory(source) ? writeDirectory(store, source) : writeTarball(store, source);
        ImageConfig config = ImageConfig.empty(platform).withCreated(now)
                .withLayer(layer.diffId(), new History(now, "", "", "imported from " + source.getFileName(), false));
        Descriptor configDescriptor = store.writeBlob(MediaType.OCI_CONFIG, config.toJson());
        Descriptor manifest = store.writeBlob(MediaType.OCI_MANIFEST,
                Manifest.of(false, configDescriptor, List.of(layer.descriptor())).toJson());
        store.tag(name, manifest);
        return manifest;
    }

    private static LayerBlob writeDirectory(Store store, Path directory) throws IOException {
        try (BlobWriter writer = store.newBlob()) {
            LayerBlob layer = LayerWriter.writeDirectory(directory, writer, LayerWriteOptions.DEFAULTS);
            Descriptor committed = writer.commit(layer.mediaType());
            if (!committed.digest().equals(layer.digest())) {
                throw new StoreException("layer of " + directory + " was stored as " + committed.digest()
                        + " but written as " + layer.digest());
            }
            return layer;
        }
    }

    private static LayerBlob writeTarball(Store store, Path tarball) throws IOException {
        Compression compression;
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(tarball))) {
            compression = LayerStreams.detect(in);
        }
        return compression == Compression.NONE
                ? compressPlainTar(store, tarball)
                : storeCompressedTar(store, tarball, compression);
    }

    /**
     * One pass over a compressed tarball: this thread stores the bytes as they are while a second
     * thread decompresses a copy from a pipe to compute the diffID.
     */
    private static LayerBlob storeCompressedTar(Store store, Path tarball, Compression compression)
            throws IOException {
        PipedInputStream pipeIn = new PipedInputStream(PIPE_BUFFER);
        ExecutorService diffIdThread = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("import-diffid").factory());
        try (BlobWriter writer = store.newBlob(); InputStream file = Files.newInputStream(tarball)) {
            PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
            Future<Digester> diffId = diffIdThread.submit(() -> tarDigest(tarball, pipeIn));
            byte[] buffer = new byte[1 << 16];
            try (pipeOut) {
                for (int n; (n = file.read(buffer)) > 0; ) {
                    writer.write(buffer, 0, n);
                    pipeOut.write(buffer, 0, n);
                }
            } catch (IOException pipeClosedByFailedReader) {
                throw failureOf(diffId, pipeClosedByFailedReader);
            }
            Digester tar = awaitDigest(diffId);
            Descriptor blob = writer.commit(MediaType.layerType(compression, false));
            return new LayerBlob(blob.mediaType(), blob.digest(), blob.size(), tar.digest(), tar.size());
        } finally {
            diffIdThread.shutdownNow();
        }
    }

    private static Digester tarDigest(Path tarball, InputStream compressed) throws IOException {
        try (compressed; InputStream tar = LayerStreams.uncompressed(compressed, Long.MAX_VALUE, 0, Long.MAX_VALUE)) {
            Digester diffId = Digester.sha256();
            InputStream digested = diffId.wrap(tar);
            requireTar(tarball, digested.readNBytes(TAR_BLOCK));
            digested.transferTo(OutputStream.nullOutputStream());
            compressed.transferTo(OutputStream.nullOutputStream());
            return diffId;
        }
    }

    private static Digester awaitDigest(Future<Digester> diffId) throws IOException {
        try {
            return diffId.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while importing");
        }
    }

    /** The reader's own error explains a broken pipe better than the pipe does. */
    private static IOException failureOf(Future<Digester> diffId, IOException pipeError) throws IOException {
        try {
            awaitDigest(diffId);
        } catch (IOException readerFailure) {
            return readerFailure;
        }
        return pipeError;
    }

    private static LayerBlob compressPlainTar(Store store, Path tarball) throws IOException {
        Digester diffId = Digester.sha256();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService gzipThreads = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().daemon().name("import-gzip-", 0).factory());
        try (BlobWriter writer = store.newBlob(); InputStream tar = Files.newInputStream(tarball)) {
            byte[] first = tar.readNBytes(TAR_BLOCK);
            requireTar(tarball, first);
            try (OutputStream gzip = new ParallelGzipOutputStream(new NonClosing(writer), GZIP_LEVEL, gzipThreads,
                    threads); OutputStream digested = diffId.wrap(gzip)) {
                digested.write(first);
                tar.transferTo(digested);
            }
            Descriptor blob = writer.commit(MediaType.OCI_LAYER_GZIP);
            return new LayerBlob(blob.mediaType(), blob.digest(), blob.size(), diffId.digest(), diffId.size());
        } finally {
            gzipThreads.shutdownNow();
        }
    }

    private static void requireTar(Path source, byte[] firstBlock) throws StoreException {
        if (!isTarHeader(firstBlock) && !Arrays.equals(firstBlock, new byte[TAR_BLOCK])) {
            throw new StoreException("cannot import " + source
                    + ": not a tar archive (plain, gzip or zstd) or a directory");
        }
    }

    private static boolean isTarHeader(byte[] block) {
        byte[] magic = "ustar".getBytes(StandardCharsets.US_ASCII);
        return block.length == TAR_BLOCK && Arrays.equals(block, USTAR_MAGIC_OFFSET,
                USTAR_MAGIC_OFFSET + magic.length, magic, 0, magic.length);
    }

    /** Keeps the blob writer open when the gzip stream closes, so it can still be committed. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            out.write(buffer, offset, length);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}

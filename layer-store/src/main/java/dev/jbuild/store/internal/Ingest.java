package dev.jbuild.store.internal;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.DigestMismatchException;
import dev.jbuild.oci.Digester;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * One in-progress blob write under {@code ingest/}: bytes are digested as they arrive and the file
 * becomes a blob only in {@link #commit}, after its size and digest are checked and it is on disk.
 * The file stays locked while it is written, so {@code prune} can tell a live ingest from a dead one.
 */
public final class Ingest extends OutputStream {
    private final BlobStore blobs;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final OutputStream out;
    private final Digester digester;
    private final Digest expectedDigest;
    private final long expectedSize;
    private boolean finished;

    Ingest(BlobStore blobs, Path file, FileChannel channel, FileLock lock, Digest expectedDigest, long expectedSize,
            String algorithm) {
        this.blobs = blobs;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        this.digester = Digester.of(expectedDigest != null ? expectedDigest.algorithm() : algorithm);
        this.expectedDigest = expectedDigest;
        this.expectedSize = expectedSize;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        if (finished) {
            throw new IOException("blob write already committed or aborted");
        }
        if (expectedSize >= 0 && digester.size() + length > expectedSize) {
            DigestMismatchException tooLong =
                    new DigestMismatchException(expectedDigest, null, expectedSize, digester.size() + length);
            abort();
            throw tooLong;
        }
        out.write(buffer, offset, length);
        digester.update(buffer, offset, length);
    }

    /** Bytes written so far. */
    public long size() {
        return digester.size();
    }

    /** The digest of everything written; nothing more may be written. */
    public Digest digest() {
        return digester.digest();
    }

    /**
     * Verifies the content against what was expected (if anything), forces it to disk, renames it
     * to {@code blobs/<alg>/<hex>} and forces that directory. Nothing is published on a mismatch.
     */
    public Digest commit() throws IOException {
        if (finished) {
            throw new IOException("blob write already committed or aborted");
        }
        try {
            out.flush();
            Digest actual = digester.digest();
            long actualSize = digester.size();
            if ((expectedDigest != null && !expectedDigest.equals(actual))
                    || (expectedSize >= 0 && expectedSize != actualSize)) {
                throw new DigestMismatchException(expectedDigest, actual, expectedSize, actualSize);
            }
            channel.force(true);
            Path target = blobs.path(actual);
            Files.createDirectories(target.getParent());
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Durable.syncDirectory(target.getParent());
            return actual;
        } finally {
            abort();
        }
    }

    /** Drops the partial content; a no-op after commit. */
    public void abort() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try (channel) {
            lock.release();
        } finally {
            Files.deleteIfExists(file);
            BlobStore.finished(file);
        }
    }

    /** Aborts unless committed. */
    @Override
    public void close() throws IOException {
        abort();
    }
}

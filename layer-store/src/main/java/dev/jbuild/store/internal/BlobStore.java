package dev.jbuild.store.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.DigestMismatchException;
import dev.jbuild.oci.VerifyingInputStream;
import dev.jbuild.store.StoreException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The {@code blobs/<alg>/<hex>} tree of an OCI layout plus its {@code ingest/} area and a quarantine for damaged blobs. */
public final class BlobStore {
    /**
     * Ingest files this JVM is writing. Opening and closing another channel on a file drops this
     * process's lock on it (POSIX record locks belong to the process), so the abandoned-ingest check
     * must never touch these.
     */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final Path ingestDirectory;
    private final Path quarantineDirectory;

    public BlobStore(Path root) {
        this.root = root;
        this.ingestDirectory = root.resolve("ingest");
        this.quarantineDirectory = root.resolve("quarantine");
    }

    /** Where a blob lives (whether or not it exists). */
    public Path path(Digest digest) {
        return root.resolve(digest.layoutPath());
    }

    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /** The size on disk, failing clearly when the blob is missing. */
    public long size(Digest digest) throws StoreException {
        try {
            return Files.size(path(digest));
        } catch (NoSuchFileException e) {
            throw missing(digest);
        } catch (IOException e) {
            throw new StoreException("cannot read blob " + digest + " in " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts a blob write. With an expected descriptor the write is checked against its digest and
     * size; without one the digest is computed with {@code algorithm}.
     */
    public Ingest begin(Descriptor expected, String algorithm) throws IOException {
        Files.createDirectories(ingestDirectory);
        Path file = ingestDirectory.resolve(UniqueNames.next()).toAbsolutePath().normalize();
        WRITING.add(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.lock();
            return new Ingest(this, file, channel, lock, expected == null ? null : expected.digest(),
                    expected == null ? -1 : expected.size(), algorithm);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(file);
            WRITING.remove(file);
            throw e;
        }
    }

    /** Called by an ingest once its file is renamed or deleted. */
    static void finished(Path ingestFile) {
        WRITING.remove(ingestFile);
    }

    /**
     * Opens a blob for reading. A size that differs from {@code expectedSize} (or -1 for unknown)
     * fails here; a digest mismatch fails at the end of the stream, before the reader can trust it.
     */
    public InputStream open(Digest digest, long expectedSize) throws StoreException {
        Path path = path(digest);
        long actualSize = size(digest);
        if (expectedSize >= 0 && actualSize != expectedSize) {
            throw new StoreException("blob " + digest + " in " + root + " is damaged: " + actualSize
                    + " bytes on disk, expected " + expectedSize + " (run jbuild fsck)");
        }
        InputStream file;
        try {
            file = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw missing(digest);
        } catch (IOException e) {
            throw new StoreException("cannot read blob " + digest + " in " + root + ": " + e.getMessage(), e);
        }
        return new FilterInputStream(new VerifyingInputStream(file, digest, actualSize)) {
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                try {
                    return super.read(buffer, offset, length);
                } catch (DigestMismatchException e) {
                    throw new StoreException("blob " + digest + " in " + root + " is corrupted: " + e.getMessage()
                            + " (run jbuild fsck)", e);
                }
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }
        };
    }

    /**
     * Opens a blob without hashing it, for a reader that verifies the bytes itself before it
     * trusts them (another store's ingest, a registry checking the pushed digest). A size that
     * differs from {@code expectedSize} still fails here.
     */
    public InputStream openUnverified(Digest digest, long expectedSize) throws StoreException {
        long actualSize = size(digest);
        if (actualSize != expectedSize) {
            throw new StoreException("blob " + digest + " in " + root + " is damaged: " + actualSize
                    + " bytes on disk, expected " + expectedSize + " (run jbuild fsck)");
        }
        try {
            return Files.newInputStream(path(digest));
        } catch (NoSuchFileException e) {
            throw missing(digest);
        } catch (IOException e) {
            throw new StoreException("cannot read blob " + digest + " in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Every blob file present, by digest; files whose names are not digests are skipped. */
    public List<Digest> list() throws IOException {
        List<Digest> digests = new ArrayList<>();
        Path blobsDirectory = root.resolve("blobs");
        if (!Files.isDirectory(blobsDirectory)) {
            return digests;
        }
        try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(blobsDirectory)) {
            for (Path algorithmDirectory : algorithms) {
                if (!Files.isDirectory(algorithmDirectory)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(algorithmDirectory)) {
                    for (Path file : files) {
                        String text = algorithmDirectory.getFileName() + ":" + file.getFileName();
                        if (Digest.isDigest(text)) {
                            digests.add(Digest.parse(text));
                        }
                    }
                }
            }
        }
        digests.sort(null);
        return digests;
    }

    /** Deletes a blob; true when it existed. */
    public boolean delete(Digest digest) throws IOException {
        return Files.deleteIfExists(path(digest));
    }

    /** Moves a damaged blob out of {@code blobs/} so it is never served again; kept for inspection. */
    public Path quarantine(Digest digest) throws IOException {
        Files.createDirectories(quarantineDirectory);
        Path target = quarantineDirectory.resolve(digest.algorithm() + "-" + digest.encoded());
        Files.move(path(digest), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Durable.syncDirectory(path(digest).getParent());
        return target;
    }

    /** Deletes ingest files whose writer has died (their lock is free); returns how many. */
    public int removeAbandonedIngests() throws IOException {
        if (!Files.isDirectory(ingestDirectory)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(ingestDirectory)) {
            for (Path file : files) {
                if (isAbandoned(file)) {
                    Files.deleteIfExists(file);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean isAbandoned(Path file) throws IOException {
        if (WRITING.contains(file.toAbsolutePath().normalize())) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private StoreException missing(Digest digest) {
        return new StoreException("blob " + digest + " not found in " + root);
    }
}

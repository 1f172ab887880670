package dev.jbuild.store.internal;

import dev.jbuild.oci.Index;
import dev.jbuild.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code index.json} and {@code oci-layout} files of an OCI layout. Readers see a complete
 * file (it is only ever replaced by rename); writers serialise on a lock file under {@code locks/}.
 */
public final class IndexFile {
    private static final byte[] LAYOUT_HEADER = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    private final Path root;
    private final Path file;
    private final Path lockFile;

    public IndexFile(Path root) {
        this.root = root;
        this.file = root.resolve("index.json");
        this.lockFile = root.resolve("locks").resolve("index.lock");
    }

    /** A change to the index made while holding the lock. */
    @FunctionalInterface
    public interface Change {
        Index apply(Index current) throws IOException;
    }

    /** True when {@code root} already holds an OCI layout. */
    public boolean exists() {
        return Files.isRegularFile(root.resolve("oci-layout"));
    }

    /** Creates {@code oci-layout} and an empty {@code index.json} unless they exist. */
    public void initialize() throws IOException {
        Files.createDirectories(root.resolve("blobs"));
        try (FileLocks.Held held = lock()) {
            if (!Files.exists(root.resolve("oci-layout"))) {
                Durable.replaceFile(root.resolve("oci-layout"), LAYOUT_HEADER);
            }
            if (!Files.exists(file)) {
                Durable.replaceFile(file, Index.of(false, List.of()).toJson());
            }
        }
    }

    /** The current index; an OCI layout without one is treated as empty. */
    public Index read() throws StoreException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Index.of(false, List.of());
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return Index.parse(bytes);
        } catch (RuntimeException e) {
            throw new StoreException(file + " is not a valid OCI index: " + e.getMessage(), e);
        }
    }

    /** Applies a change under the lock and replaces the file atomically; returns the new index. */
    public Index update(Change change) throws IOException {
        try (FileLocks.Held held = lock()) {
            Index current = read();
            Index next = change.apply(current);
            if (!next.equals(current)) {
                Durable.replaceFile(file, next.toJson());
            }
            return next;
        }
    }

    /** Holds the index lock, so nothing changes the tags meanwhile (used by prune). */
    public FileLocks.Held lock() throws IOException {
        return FileLocks.exclusive(lockFile);
    }
}

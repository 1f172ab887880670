package dev.jbuild.store.internal;

import dev.jbuild.store.DirectoryTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scratch directories of running builds under {@code builds/}: a build locks
 * {@code locks/scratch-<name>.lock} before it makes {@code builds/<name>} and holds it to the end, so a
 * directory whose lock is free belongs to a build that died (the OS drops a dead process's locks).
 */
public final class BuildScratches {
    private static final String PREFIX = "build-";
    /** Scratch directories of this JVM's builds: their file locks are reentrant for the thread that made them. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final Path builds;

    public BuildScratches(Path storeRoot) {
        this.builds = storeRoot.resolve("builds");
    }

    /** A held scratch directory: closing deletes it and then releases its lock. */
    public record Created(Path directory, FileLocks.Held lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (FileLocks.Held held = lock) {
                DirectoryTrees.delete(directory);
                Files.deleteIfExists(lockFile(directory));
            } finally {
                OPEN.remove(key(directory));
            }
        }
    }

    /** Locks a new name and makes its directory. */
    public Created create() throws IOException {
        String name = PREFIX + UniqueNames.next();
        Path directory = builds.resolve(name);
        FileLocks.Held lock = FileLocks.exclusive(lockFile(directory));
        try {
            Files.createDirectories(builds);
            OPEN.add(key(directory));
            Files.createDirectory(directory);
            return new Created(directory, lock);
        } catch (IOException | RuntimeException e) {
            OPEN.remove(key(directory));
            lock.close();
            throw e;
        }
    }

    /** Removes the directories of builds that died, last changed no later than {@code cutoff}; returns how many. */
    public long removeAbandoned(FileTime cutoff) throws IOException {
        if (!Files.isDirectory(builds)) {
            return 0;
        }
        long removed = 0;
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(builds, PREFIX + "*")) {
            for (Path directory : directories) {
                if (OPEN.contains(key(directory)) || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
                        || Files.getLastModifiedTime(directory, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) > 0) {
                    continue;
                }
                Optional<FileLocks.Held> free = FileLocks.tryExclusive(lockFile(directory));
                if (free.isPresent()) {
                    new Created(directory, free.get()).close();
                    removed++;
                }
            }
        }
        return removed;
    }

    private static Path key(Path directory) {
        return directory.toAbsolutePath().normalize();
    }

    private static Path lockFile(Path directory) {
        return directory.getParent().resolveSibling("locks").resolve("scratch-" + directory.getFileName() + ".lock");
    }
}

package dev.jbuild.builder.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Exclusive locks on files under the store that hold across the steps of one build and across
 * processes: a permit per file inside this JVM (a file lock belongs to the whole process), then an
 * advisory file lock other processes respect and the OS drops when a process dies.
 */
final class CacheLocks {
    private static final ConcurrentHashMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private CacheLocks() {
    }

    /** Waits until this caller holds {@code lockFile} (created when missing). */
    static Held exclusive(Path lockFile) throws IOException, InterruptedException {
        Semaphore local = permit(lockFile);
        local.acquire();
        return fileLock(lockFile, local, true).orElseThrow();
    }

    /** The lock on {@code lockFile} when no step of any build holds it now; empty otherwise. */
    static Optional<Held> tryExclusive(Path lockFile) throws IOException {
        Semaphore local = permit(lockFile);
        if (!local.tryAcquire()) {
            return Optional.empty();
        }
        return fileLock(lockFile, local, false);
    }

    private static Semaphore permit(Path lockFile) {
        return IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), path -> new Semaphore(1));
    }

    private static Optional<Held> fileLock(Path lockFile, Semaphore local, boolean wait) throws IOException {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = wait ? channel.lock() : channel.tryLock();
            if (lock == null) {
                channel.close();
                local.release();
                return Optional.empty();
            }
            FileChannel owned = channel;
            return Optional.of(() -> {
                try (owned) {
                    lock.release();
                } finally {
                    local.release();
                }
            });
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.release();
            throw e;
        }
    }
}

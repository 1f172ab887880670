package dev.jbuild.builder.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Locks on files under the store that hold across the steps of one build and across processes:
 * exclusive ones take a permit per file inside this JVM (a file lock belongs to the whole process),
 * then an advisory file lock other processes respect and the OS drops when a process dies; shared
 * ones count this JVM's holders and keep one shared file lock while any hold it.
 */
final class CacheLocks {
    private static final ConcurrentHashMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Path, SharedLock> SHARED = new ConcurrentHashMap<>();

    /** A held lock; closing releases it. */
    interface Held extends Closeable {
        @Override
        void close() throws IOException;
    }

    /** This JVM's shared file lock on one file and how many of its steps hold it. */
    private record SharedLock(FileChannel channel, FileLock lock, int holders) {
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
        if (SHARED.containsKey(lockFile.toAbsolutePath().normalize())) {
            return Optional.empty();
        }
        Semaphore local = permit(lockFile);
        if (!local.tryAcquire()) {
            return Optional.empty();
        }
        return fileLock(lockFile, local, false);
    }

    /**
     * Waits until this caller holds {@code lockFile} (created when missing) together with any other
     * shared holders; an exclusive holder elsewhere keeps it out until it lets go.
     */
    static Held shared(Path lockFile) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        IOException[] failure = new IOException[1];
        SHARED.compute(key, (path, held) -> {
            if (held != null) {
                return new SharedLock(held.channel(), held.lock(), held.holders() + 1);
            }
            try {
                FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                try {
                    return new SharedLock(channel, channel.lock(0, Long.MAX_VALUE, true), 1);
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            } catch (IOException e) {
                failure[0] = e;
                return null;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return () -> {
            IOException[] releaseFailure = new IOException[1];
            SHARED.compute(key, (path, held) -> {
                if (held.holders() > 1) {
                    return new SharedLock(held.channel(), held.lock(), held.holders() - 1);
                }
                try (FileChannel channel = held.channel()) {
                    held.lock().release();
                } catch (IOException e) {
                    releaseFailure[0] = e;
                }
                return null;
            });
            if (releaseFailure[0] != null) {
                throw releaseFailure[0];
            }
        };
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

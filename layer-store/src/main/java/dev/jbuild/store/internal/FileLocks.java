package dev.jbuild.store.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive locks that hold across threads and processes: a JVM-wide lock per file (file locks
 * are owned by the process, so threads of one JVM must queue first), then an advisory
 * {@link FileChannel#lock()} that other processes respect. The OS drops it when a process dies.
 */
public final class FileLocks {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    /** A held lock; closing it releases the file lock and then the in-process lock. */
    public interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /** Blocks until this thread holds the lock on {@code lockFile} (created when missing). Reentrant per thread. */
    public static Held exclusive(Path lockFile) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        if (local.getHoldCount() > 1) {
            return local::unlock;
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(key.getParent());
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock = channel.lock();
            FileChannel owned = channel;
            return () -> {
                try (owned) {
                    fileLock.release();
                } finally {
                    local.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    /** The lock on {@code lockFile} if no thread or process holds it now; empty otherwise. */
    public static Optional<Held> tryExclusive(Path lockFile) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        if (!local.tryLock()) {
            return Optional.empty();
        }
        if (local.getHoldCount() > 1) {
            return Optional.of(local::unlock);
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(key.getParent());
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock = channel.tryLock();
            if (fileLock == null) {
                channel.close();
                local.unlock();
                return Optional.empty();
            }
            FileChannel owned = channel;
            return Optional.of(() -> {
                try (owned) {
                    fileLock.release();
                } finally {
                    local.unlock();
                }
            });
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }
}

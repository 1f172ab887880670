package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.builder.PrunedCacheMounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheMountsPruneTest {
    @TempDir
    Path store;

    private Path cacheDirectory(String name, int bytes) throws IOException {
        Path directory = Files.createDirectories(store.resolve("build-mounts").resolve(name));
        Files.createDirectories(directory.resolve("nested"));
        Files.write(directory.resolve("nested/data.bin"), new byte[bytes]);
        return directory;
    }

    @Test
    void removesUnusedCacheDirectoriesAndCountsTheirBytes() throws IOException {
        Path first = cacheDirectory("a", 1000);
        Path second = cacheDirectory("b-private-1", 24);
        assertEquals(new PrunedCacheMounts(2, 1024, 0), CacheMounts.prune(store));
        assertFalse(Files.exists(first));
        assertFalse(Files.exists(second));
        assertEquals(new PrunedCacheMounts(0, 0, 0), CacheMounts.prune(store));
    }

    @Test
    void keepsADirectoryThatAStepOfThisProcessIsUsing() throws IOException {
        Path used = cacheDirectory("used", 10);
        Path idle = cacheDirectory("idle", 20);
        try (CacheLocks.Held step = CacheLocks.shared(store.resolve("build-mounts/used.use"));
             CacheLocks.Held another = CacheLocks.shared(store.resolve("build-mounts/used.use"))) {
            assertEquals(new PrunedCacheMounts(1, 20, 1), CacheMounts.prune(store));
        }
        assertTrue(Files.exists(used.resolve("nested/data.bin")));
        assertFalse(Files.exists(idle));
        assertEquals(new PrunedCacheMounts(1, 10, 0), CacheMounts.prune(store), "released by both steps, it goes");
    }

    @Test
    void keepsADirectoryThatAnotherProcessIsUsing() throws Exception {
        Path used = cacheDirectory("elsewhere", 10);
        Path lock = store.resolve("build-mounts/elsewhere.use");
        Path ready = store.resolve("ready");
        // another JVM holds the use lock shared, as a running build's step does
        Path holder = store.resolve("Hold.java");
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class Hold {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                                StandardOpenOption.READ, StandardOpenOption.WRITE);
                             var lock = channel.lock(0, Long.MAX_VALUE, true)) {
                            Files.writeString(Path.of(args[1]), "locked");
                            Thread.sleep(60_000);
                        }
                    }
                }
                """);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                holder.toString(), lock.toString(), ready.toString()).inheritIO().start();
        try {
            for (int i = 0; i < 600 && !Files.exists(ready); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(ready), "the other process took the lock");
            assertEquals(new PrunedCacheMounts(0, 0, 1), CacheMounts.prune(store));
            assertTrue(Files.exists(used));
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(new PrunedCacheMounts(1, 10, 0), CacheMounts.prune(store), "the OS dropped the dead holder's lock");
    }
}

package dev.jbuild.store.internal.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFM system calls behave as their C counterparts do, errno included. */
class PosixTest {
    @TempDir
    Path temp;

    @Test
    void xattrsOnSymlinksAndFilesAndMissingOnes() throws IOException {
        Path file = Files.writeString(temp.resolve("f"), "x");
        assertEquals(Optional.empty(), Posix.lgetxattr(file, "user.absent"));
        Posix.lsetxattr(file, "user.k", new byte[] {0, 1, 2, (byte) 0xff});
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, Posix.lgetxattr(file, "user.k").orElseThrow());
        assertTrue(Posix.llistxattr(file).contains("user.k"));
    }

    @Test
    void chmodKeepsSpecialBitsAndLutimesSetsSymlinkTimes() throws IOException {
        Path file = Files.writeString(temp.resolve("f"), "x");
        Posix.chmod(file, 07755);
        assertEquals(07755, FileStat.of(file).mode() & 07777);
        Path link = Files.createSymbolicLink(temp.resolve("l"), Path.of("f"));
        Posix.lutimes(link, 1_000_000_000L, 0);
        assertEquals(1_000_000_000L, FileStat.of(link).mtimeSeconds());
        assertTrue(FileStat.of(file).mtimeSeconds() != 1_000_000_000L, "the target keeps its own mtime");
    }

    @Test
    void mknodMakesWhiteoutsAndReportsErrno() throws IOException {
        Path whiteout = temp.resolve("w");
        Posix.mknod(whiteout, Posix.S_IFCHR, 0, 0);
        assertTrue(FileStat.of(whiteout).isWhiteout());
        PosixException e = assertThrows(PosixException.class, () -> Posix.mknod(whiteout, Posix.S_IFCHR, 0, 0));
        assertEquals(17, e.errno(), "EEXIST");
    }

    @Test
    void deviceNumbersSplitAsTheKernelEncodesThem() throws IOException {
        FileStat devNull = FileStat.of(Path.of("/dev/null"));
        assertEquals(1, Posix.major(devNull.rdev()));
        assertEquals(3, Posix.minor(devNull.rdev()));
    }

    @Test
    void syncfsFlushesTheFilesystemOfADirectory() throws IOException {
        Posix.syncfs(temp);
        assertThrows(PosixException.class, () -> Posix.syncfs(temp.resolve("missing")));
    }
}

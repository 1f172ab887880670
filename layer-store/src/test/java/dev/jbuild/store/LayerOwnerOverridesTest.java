package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbuild.oci.MediaType.Compression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owners given to {@link LayerWriter} replace those on disk in the tar headers, path by path. */
class LayerOwnerOverridesTest {
    private static final LayerWriteOptions PLAIN_TAR = new LayerWriteOptions(Compression.NONE, 0, OptionalLong.empty());

    @TempDir
    Path temp;

    @Test
    void listedPathsGetTheGivenOwnersAndTheOthersKeepTheirsFromDisk() throws IOException {
        Path tree = Files.createDirectories(temp.resolve("tree"));
        Files.createDirectories(tree.resolve("dir"));
        Files.writeString(tree.resolve("dir/owned.txt"), "owned\n");
        Files.createLink(tree.resolve("dir/linked.txt"), tree.resolve("dir/owned.txt"));
        Files.createSymbolicLink(tree.resolve("dir/symlink"), Path.of("owned.txt"));
        Files.writeString(tree.resolve("as-on-disk.txt"), "disk\n");
        int diskUid = (Integer) Files.getAttribute(tree.resolve("as-on-disk.txt"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int diskGid = (Integer) Files.getAttribute(tree.resolve("as-on-disk.txt"), "unix:gid", LinkOption.NOFOLLOW_LINKS);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerWriter.writeDirectory(tree, out, PLAIN_TAR, Map.of(
                "dir", new FileOwner(7, 8),
                "dir/owned.txt", new FileOwner(1234, 5678),
                "dir/linked.txt", new FileOwner(1234, 5678),
                "dir/symlink", new FileOwner(100000, 100001)));

        Map<String, TarArchiveEntry> entries = entries(out.toByteArray());
        assertEquals("7:8", owner(entries.get("dir/")));
        assertEquals("1234:5678", owner(entries.get("dir/owned.txt")));
        assertEquals("1234:5678", owner(entries.get("dir/linked.txt")), "a hardlink entry takes its override too");
        assertEquals("100000:100001", owner(entries.get("dir/symlink")));
        assertEquals(diskUid + ":" + diskGid, owner(entries.get("as-on-disk.txt")));
        assertEquals(diskUid + ":" + diskGid,
                (Integer) Files.getAttribute(tree.resolve("dir/owned.txt"), "unix:uid", LinkOption.NOFOLLOW_LINKS)
                        + ":" + Files.getAttribute(tree.resolve("dir/owned.txt"), "unix:gid", LinkOption.NOFOLLOW_LINKS),
                "the files on disk are not touched");
    }

    @Test
    void overridesChangeTheLayerDigestLikeAChownWould() throws IOException {
        Path tree = Files.createDirectories(temp.resolve("tree"));
        Files.writeString(tree.resolve("file"), "x");
        LayerBlob plain = LayerWriter.writeDirectory(tree, ByteArrayOutputStream.nullOutputStream(), PLAIN_TAR);
        LayerBlob none = LayerWriter.writeDirectory(tree, ByteArrayOutputStream.nullOutputStream(), PLAIN_TAR, Map.of());
        LayerBlob owned = LayerWriter.writeDirectory(tree, ByteArrayOutputStream.nullOutputStream(), PLAIN_TAR,
                Map.of("file", new FileOwner(1, 1)));
        assertEquals(plain.diffId(), none.diffId());
        assertNotEquals(plain.diffId(), owned.diffId());
    }

    @Test
    void negativeIdsAreRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new FileOwner(-1, 0));
        assertEquals("owner ids must not be negative: -1:0", error.getMessage());
    }

    private static Map<String, TarArchiveEntry> entries(byte[] tar) throws IOException {
        Map<String, TarArchiveEntry> entries = new TreeMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), entry);
            }
        }
        return entries;
    }

    private static String owner(TarArchiveEntry entry) {
        return entry.getLongUserId() + ":" + entry.getLongGroupId();
    }
}

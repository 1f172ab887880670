package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.store.internal.fs.FileStat;
import dev.jbuild.store.internal.fs.Posix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whiteout conversion in both apply modes, and hardlinks into earlier layers, on tars written by commons-compress. */
class LayerApplierTest {
    @TempDir
    Path temp;

    /** A tar of (name, type, content-or-link-target) triples. */
    private static byte[] tar(String... members) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int i = 0; i < members.length; i += 3) {
                byte type = switch (members[i + 1]) {
                    case "dir" -> TarConstants.LF_DIR;
                    case "link" -> TarConstants.LF_LINK;
                    default -> TarConstants.LF_NORMAL;
                };
                TarArchiveEntry entry = new TarArchiveEntry(members[i], type, true);
                entry.setModTime(new Date(1_700_000_000_000L));
                byte[] data = new byte[0];
                if (type == TarConstants.LF_LINK) {
                    entry.setLinkName(members[i + 2]);
                } else if (type == TarConstants.LF_NORMAL) {
                    data = members[i + 2].getBytes(StandardCharsets.UTF_8);
                    entry.setSize(data.length);
                }
                out.putArchiveEntry(entry);
                out.write(data);
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] layer(String... members) {
        try {
            return tar(members);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ApplyResult apply(byte[] layer, Path root, ApplyMode mode) throws IOException {
        return LayerApplier.apply(new ByteArrayInputStream(layer), root, mode);
    }

    private final byte[] base = layer("etc/", "dir", "", "etc/motd", "file", "hi", "etc/passwd", "file", "root",
            "opt/", "dir", "", "opt/app/", "dir", "", "opt/app/old", "file", "old");
    private final byte[] step = layer("etc/", "dir", "", "etc/.wh.motd", "file", "", "opt/app/", "dir", "",
            "opt/app/.wh..wh..opq", "file", "", "opt/app/new", "file", "new");

    @Test
    void flattenDeletesWhatWhiteoutsHide() throws IOException {
        Path root = Files.createDirectories(temp.resolve("root"));
        apply(base, root, ApplyMode.FLATTEN);
        apply(step, root, ApplyMode.FLATTEN);
        assertFalse(Files.exists(root.resolve("etc/motd"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(root.resolve("etc/passwd")));
        assertFalse(Files.exists(root.resolve("opt/app/old")), "opaque directory hides the lower content");
        assertEquals("new", Files.readString(root.resolve("opt/app/new")), "the layer's own entries stay");
        assertFalse(Files.exists(root.resolve("etc/.wh.motd")), "no whiteout files are left behind");
    }

    @Test
    void opaqueMarkerAfterTheLayersOwnEntriesKeepsThem() throws IOException {
        Path root = Files.createDirectories(temp.resolve("root"));
        apply(base, root, ApplyMode.FLATTEN);
        apply(tar("opt/app/", "dir", "", "opt/app/new", "file", "new", "opt/app/.wh..wh..opq", "file", ""), root,
                ApplyMode.FLATTEN);
        assertEquals(List.of("new"), Files.list(root.resolve("opt/app")).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void overlayLowerKeepsWhiteoutsAsOverlayMarkers() throws IOException {
        Path layer = Files.createDirectories(temp.resolve("layer"));
        apply(step, layer, ApplyMode.OVERLAY_LOWER);
        FileStat motd = FileStat.of(layer.resolve("etc/motd"));
        assertTrue(motd.isWhiteout(), "expected char device 0/0, got mode " + Integer.toOctalString(motd.mode()));
        assertEquals("y", new String(Posix.lgetxattr(layer.resolve("opt/app"), "user.overlay.opaque").orElseThrow(),
                StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(layer.resolve("opt/app/new")));
    }

    @Test
    void hardlinkIntoAnEarlierLayerIsCopiedWhenUnpackingOverlayLowers() throws IOException {
        Path lower = Files.createDirectories(temp.resolve("lower"));
        apply(tar("usr/", "dir", "", "usr/bin/", "dir", "", "usr/bin/git", "file", "git binary"), lower,
                ApplyMode.OVERLAY_LOWER);
        byte[] links = tar("usr/bin/git-upload-pack", "link", "usr/bin/git");

        Path alone = Files.createDirectories(temp.resolve("alone"));
        LayerRejectedException e = assertThrows(LayerRejectedException.class,
                () -> apply(links, alone, ApplyMode.OVERLAY_LOWER));
        assertEquals("usr/bin/git-upload-pack", e.entry());

        Path upper = Files.createDirectories(temp.resolve("upper"));
        LayerApplier.apply(new ByteArrayInputStream(links), upper, ApplyMode.OVERLAY_LOWER, ApplyOptions.DEFAULTS,
                List.of(lower));
        assertEquals("git binary", Files.readString(upper.resolve("usr/bin/git-upload-pack")));

        Path flat = Files.createDirectories(temp.resolve("flat"));
        apply(tar("usr/", "dir", "", "usr/bin/", "dir", "", "usr/bin/git", "file", "git binary"), flat,
                ApplyMode.FLATTEN);
        apply(links, flat, ApplyMode.FLATTEN);
        assertEquals(FileStat.of(flat.resolve("usr/bin/git")).inode(),
                FileStat.of(flat.resolve("usr/bin/git-upload-pack")).inode(), "flattened, it stays a hardlink");
    }
}

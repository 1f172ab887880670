package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.store.internal.fs.FileStat;
import dev.jbuild.store.internal.fs.Posix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upperdir and tree-walk diffs, written as layers and applied back both flattened and as overlay lowers. */
class LayerDiffTest {
    @TempDir
    Path temp;

    private byte[] baseLayer() throws IOException {
        Path base = Files.createDirectories(temp.resolve("base"));
        Files.createDirectories(base.resolve("etc/conf.d"));
        Files.writeString(base.resolve("etc/conf.d/a.conf"), "a");
        Files.writeString(base.resolve("etc/conf.d/b.conf"), "b");
        Files.writeString(base.resolve("etc/motd"), "hello");
        Files.writeString(base.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.createDirectories(base.resolve("var/lib/keep/deep"));
        Files.writeString(base.resolve("var/lib/keep/deep/file"), "x");
        Files.createDirectories(base.resolve("opt/app/sub"));
        Files.writeString(base.resolve("opt/app/sub/old"), "old");
        Files.writeString(base.resolve("opt/app/readme"), "readme");
        return write(base);
    }

    private static byte[] write(Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerWriter.writeDirectory(dir, out, LayerWriteOptions.DEFAULTS);
        return out.toByteArray();
    }

    /** The step under test: deletes a file and a directory, replaces a directory, adds and modifies files. */
    private static void modify(Path root) throws IOException {
        Files.delete(root.resolve("etc/motd"));
        deleteTree(root.resolve("var/lib/keep"));
        deleteTree(root.resolve("opt/app"));
        Files.createDirectories(root.resolve("opt/app"));
        Files.writeString(root.resolve("opt/app/new"), "new");
        Files.createDirectories(root.resolve("srv/www"));
        Files.writeString(root.resolve("srv/www/index.html"), "<html>");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\nuser:x:1000:1000::/:/bin/sh\n");
        Posix.chmod(root.resolve("etc/conf.d/a.conf"), 0600);
        Files.writeString(root.resolve("tmpfile"), "created then deleted");
        Files.delete(root.resolve("tmpfile"));
    }

    private static void deleteTree(Path path) throws IOException {
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }

    @Test
    void upperdirDiffBecomesLayerThatReproducesTheMergedView() throws Exception {
        assumeTrue(Posix.euid() == 0, "overlayfs mounts need root; skipped as uid " + Posix.euid());
        byte[] base = baseLayer();
        Path lower1 = Files.createDirectories(temp.resolve("lower1"));
        LayerApplier.apply(new ByteArrayInputStream(base), lower1, ApplyMode.OVERLAY_LOWER);
        Path upper = Files.createDirectories(temp.resolve("upper"));
        Path work = Files.createDirectories(temp.resolve("work"));
        Path merged = Files.createDirectories(temp.resolve("merged"));
        run("/bin/mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower1 + ",upperdir=" + upper + ",workdir="
                + work + ",userxattr,index=off,metacopy=off,redirect_dir=nofollow", merged.toString());
        Map<String, String> expected;
        try {
            modify(merged);
            expected = TreeSnapshot.of(merged, true);
        } finally {
            run("/bin/umount", merged.toString());
        }
        assertTrue(FileStat.of(upper.resolve("etc/motd")).isWhiteout(), "kernel wrote a whiteout");

        List<LayerChange> changes = UpperDirDiff.changes(upper, List.of(lower1));
        assertTrue(changes.contains(new LayerChange.Whiteout("etc/motd")), changes.toString());
        assertTrue(changes.contains(new LayerChange.Whiteout("var/lib/keep")), changes.toString());
        assertTrue(changes.contains(new LayerChange.Opaque("opt/app")), changes.toString());
        assertFalse(changes.contains(new LayerChange.Opaque("srv/www")), "new directories need no opaque marker");
        assertFalse(changes.contains(new LayerChange.Opaque("srv")), "new directories need no opaque marker");
        assertFalse(changes.stream().anyMatch(c -> c.path().equals("tmpfile")), "no whiteout for a path absent below");

        ByteArrayOutputStream step = new ByteArrayOutputStream();
        LayerWriter.writeChanges(changes, step, LayerWriteOptions.DEFAULTS);

        Path flat = Files.createDirectories(temp.resolve("flat"));
        LayerApplier.apply(new ByteArrayInputStream(base), flat, ApplyMode.FLATTEN);
        LayerApplier.apply(new ByteArrayInputStream(step.toByteArray()), flat, ApplyMode.FLATTEN);
        assertEquals(expected, TreeSnapshot.of(flat, true));

        Path lower2 = Files.createDirectories(temp.resolve("lower2"));
        LayerApplier.apply(new ByteArrayInputStream(step.toByteArray()), lower2, ApplyMode.OVERLAY_LOWER);
        assertTrue(FileStat.of(lower2.resolve("etc/motd")).isWhiteout(), ".wh.motd became a char device 0/0");
        assertEquals("y", new String(Posix.lgetxattr(lower2.resolve("opt/app"), "user.overlay.opaque").orElseThrow(),
                StandardCharsets.UTF_8));
        Path view = Files.createDirectories(temp.resolve("view"));
        run("/bin/mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower2 + ":" + lower1 + ",userxattr",
                view.toString());
        try {
            assertEquals(expected, TreeSnapshot.of(view, true));
        } finally {
            run("/bin/umount", view.toString());
        }
    }

    @Test
    void snapshotDiffBecomesLayerThatReproducesTheNewTree() throws Exception {
        byte[] base = baseLayer();
        Path before = Files.createDirectories(temp.resolve("before"));
        LayerApplier.apply(new ByteArrayInputStream(base), before, ApplyMode.FLATTEN);
        Path after = Files.createDirectories(temp.resolve("after"));
        LayerApplier.apply(new ByteArrayInputStream(base), after, ApplyMode.FLATTEN);
        TreeDiff.Snapshot snapshot = TreeDiff.snapshot(after);
        modify(after);

        List<LayerChange> changes = snapshot.changes(java.util.Set.of());
        assertTrue(changes.contains(new LayerChange.Whiteout("etc/motd")), changes.toString());
        assertTrue(changes.contains(new LayerChange.Whiteout("var/lib/keep")), changes.toString());
        assertTrue(changes.contains(new LayerChange.Whiteout("opt/app/sub")), changes.toString());
        assertFalse(changes.stream().anyMatch(c -> c.path().equals("etc/conf.d/b.conf")), "unchanged file left out");

        ByteArrayOutputStream step = new ByteArrayOutputStream();
        LayerWriter.writeChanges(changes, step, LayerWriteOptions.DEFAULTS);
        LayerApplier.apply(new ByteArrayInputStream(step.toByteArray()), before, ApplyMode.FLATTEN);
        assertEquals(TreeSnapshot.of(after, true), TreeSnapshot.of(before, true));
    }

    @Test
    void aRewriteThatKeepsSizeAndMtimeIsStillAChange() throws Exception {
        Path tree = Files.createDirectories(temp.resolve("tree"));
        LayerApplier.apply(new ByteArrayInputStream(baseLayer()), tree, ApplyMode.FLATTEN);
        Path passwd = tree.resolve("etc/passwd");
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(passwd);
        String content = Files.readString(passwd);
        TreeDiff.Snapshot snapshot = TreeDiff.snapshot(tree);
        Files.writeString(passwd, content.toUpperCase(java.util.Locale.ROOT));
        Files.setLastModifiedTime(passwd, mtime);
        assertEquals(List.of(new LayerChange.Put("etc", tree.resolve("etc")), new LayerChange.Put("etc/passwd", passwd)),
                snapshot.changes(java.util.Set.of()), "the ctime shows the rewrite");
    }
}

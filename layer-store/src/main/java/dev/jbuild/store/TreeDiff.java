package dev.jbuild.store;

import dev.jbuild.store.internal.fs.FileStat;
import dev.jbuild.store.internal.fs.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The change list between two directory trees, for builds without overlayfs (chroot isolation):
 * walks both trees and compares type, mode, ownership, size, mtime, link target, device numbers and
 * {@code security.capability}, reading contents only when sizes match and an mtime lacks
 * sub-second precision. Deletions become whiteouts; parents of every change are included so the
 * layer carries their metadata.
 */
public final class TreeDiff {
    private TreeDiff() {
    }

    /** The changes that turn {@code before} into {@code after}. */
    public static List<LayerChange> changes(Path before, Path after) throws IOException {
        Set<String> emitted = new LinkedHashSet<>();
        List<LayerChange> changes = new ArrayList<>();
        compareDirectory(before, after, "", emitted, changes);
        return changes;
    }

    private static void compareDirectory(Path before, Path after, String prefix, Set<String> emitted,
            List<LayerChange> changes) throws IOException {
        Set<String> names = new TreeSet<>(list(after));
        for (String name : list(before)) {
            if (!names.contains(name)) {
                addParents(prefix, after, emitted, changes);
                changes.add(new LayerChange.Whiteout(prefix + name));
            }
        }
        for (String name : names) {
            Path newPath = after.resolve(name);
            Path oldPath = before.resolve(name);
            String path = prefix + name;
            FileStat newStat = FileStat.of(newPath);
            FileStat oldStat = Files.exists(oldPath, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? FileStat.of(oldPath) : null;
            if (oldStat == null || !sameEntry(oldPath, oldStat, newPath, newStat)) {
                addParents(prefix, after, emitted, changes);
                if (emitted.add(path)) {
                    changes.add(new LayerChange.Put(path, newPath));
                }
            }
            if (newStat.isDirectory()) {
                if (oldStat != null && oldStat.isDirectory()) {
                    compareDirectory(oldPath, newPath, path + "/", emitted, changes);
                } else {
                    addAll(newPath, path + "/", emitted, changes);
                }
            }
        }
    }

    private static void addAll(Path dir, String prefix, Set<String> emitted, List<LayerChange> changes)
            throws IOException {
        for (String name : list(dir)) {
            Path child = dir.resolve(name);
            if (emitted.add(prefix + name)) {
                changes.add(new LayerChange.Put(prefix + name, child));
            }
            if (FileStat.of(child).isDirectory()) {
                addAll(child, prefix + name + "/", emitted, changes);
            }
        }
    }

    private static void addParents(String prefix, Path afterDir, Set<String> emitted, List<LayerChange> changes) {
        if (prefix.isEmpty()) {
            return;
        }
        String[] parts = prefix.substring(0, prefix.length() - 1).split("/");
        Path root = afterDir;
        for (int i = 0; i < parts.length; i++) {
            root = root.getParent();
        }
        StringBuilder path = new StringBuilder();
        Path current = root;
        for (String part : parts) {
            path.append(path.isEmpty() ? "" : "/").append(part);
            current = current.resolve(part);
            if (emitted.add(path.toString())) {
                changes.add(new LayerChange.Put(path.toString(), current));
            }
        }
    }

    private static boolean sameEntry(Path oldPath, FileStat a, Path newPath, FileStat b) throws IOException {
        if (a.mode() != b.mode() || a.uid() != b.uid() || a.gid() != b.gid() || a.rdev() != b.rdev()) {
            return false;
        }
        if (!Arrays.equals(capability(oldPath), capability(newPath))) {
            return false;
        }
        if (a.isDirectory()) {
            return a.mtimeSeconds() == b.mtimeSeconds() && a.mtimeNanos() == b.mtimeNanos();
        }
        if (a.isSymlink()) {
            return Files.readSymbolicLink(oldPath).equals(Files.readSymbolicLink(newPath))
                    && a.mtimeSeconds() == b.mtimeSeconds();
        }
        if (a.size() != b.size() || a.mtimeSeconds() != b.mtimeSeconds()) {
            return false;
        }
        if (a.mtimeNanos() != 0 && b.mtimeNanos() != 0) {
            return a.mtimeNanos() == b.mtimeNanos();
        }
        return !a.isRegular() || sameContent(oldPath, newPath);
    }

    private static byte[] capability(Path path) throws IOException {
        return Posix.lgetxattr(path, "security.capability").orElse(null);
    }

    private static boolean sameContent(Path a, Path b) throws IOException {
        try (InputStream left = Files.newInputStream(a); InputStream right = Files.newInputStream(b)) {
            byte[] x = new byte[65536];
            byte[] y = new byte[65536];
            while (true) {
                int n = left.readNBytes(x, 0, x.length);
                int m = right.readNBytes(y, 0, y.length);
                if (n != m || !Arrays.equals(x, 0, n, y, 0, m)) {
                    return false;
                }
                if (n < x.length) {
                    return true;
                }
            }
        }
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> Objects.toString(p.getFileName())).sorted().toList();
        }
    }
}

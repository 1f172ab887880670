package dev.jbuild.store;

import dev.jbuild.store.internal.fs.FileStat;
import dev.jbuild.store.internal.fs.LowerLayers;
import dev.jbuild.store.internal.fs.Posix;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The change list of an overlay upperdir: what a step changed over its lower layers, read from the
 * upperdir alone. A whiteout (char device 0/0) becomes a deletion only when the path exists in a
 * lower layer; an opaque directory becomes an opaque marker only when the directory exists below
 * (the kernel also marks brand-new directories opaque). Overlay bookkeeping xattrs (origin, impure,
 * uuid, redirect) are not content and never reach the layer; mount with {@code redirect_dir=nofollow}
 * so that directory renames are copied up rather than recorded as redirects.
 */
public final class UpperDirDiff {
    private UpperDirDiff() {
    }

    /** The changes in {@code upperDir} of an overlay mounted with {@code userxattr} over {@code lowerDirs} (topmost first). */
    public static List<LayerChange> changes(Path upperDir, List<Path> lowerDirs) throws IOException {
        return changes(upperDir, lowerDirs, true);
    }

    /**
     * The changes in {@code upperDir} over {@code lowerDirs} (topmost first, each an unpacked layer in
     * overlay form); {@code userXattr} says whether the overlay kept its markers in {@code user.overlay.*}
     * (mounted with {@code userxattr}) or {@code trusted.overlay.*}.
     */
    public static List<LayerChange> changes(Path upperDir, List<Path> lowerDirs, boolean userXattr) throws IOException {
        String prefix = userXattr ? "user.overlay." : "trusted.overlay.";
        LowerLayers lowers = new LowerLayers(List.copyOf(lowerDirs), prefix + "opaque");
        List<LayerChange> changes = new ArrayList<>();
        Files.walkFileTree(upperDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (dir.equals(upperDir)) {
                    return FileVisitResult.CONTINUE;
                }
                String path = relative(dir);
                changes.add(new LayerChange.Put(path, dir));
                Optional<byte[]> opaque = Posix.lgetxattr(dir, prefix + "opaque");
                if (opaque.isPresent() && Arrays.equals(opaque.get(), new byte[] {'y'})
                        && lowers.exists(path, true)) {
                    changes.add(new LayerChange.Opaque(path));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                String path = relative(file);
                if (FileStat.of(file).isWhiteout()) {
                    if (lowers.exists(path, false)) {
                        changes.add(new LayerChange.Whiteout(path));
                    }
                } else {
                    changes.add(new LayerChange.Put(path, file));
                }
                return FileVisitResult.CONTINUE;
            }

            private String relative(Path path) {
                return upperDir.relativize(path).toString();
            }
        });
        return changes;
    }
}

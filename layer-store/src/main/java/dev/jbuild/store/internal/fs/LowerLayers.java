package dev.jbuild.store.internal.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Answers "does this path exist below?" for a stack of unpacked layers in overlay form (whiteouts as
 * char devices 0/0, opaque directories marked by an xattr), as the merged lower view would.
 */
public final class LowerLayers {
    private final List<Path> topFirst;
    private final String opaqueXattr;

    public LowerLayers(List<Path> topFirst, String opaqueXattr) {
        this.topFirst = List.copyOf(topFirst);
        this.opaqueXattr = opaqueXattr;
    }

    /** True when {@code path} is visible in the merged lowers (and is a directory, if {@code directory} is set). */
    public boolean exists(String path, boolean directory) throws IOException {
        String[] parts = path.split("/");
        for (Path layer : topFirst) {
            Path current = layer;
            boolean opaqueAbove = false;
            for (int i = 0; i < parts.length; i++) {
                current = current.resolve(parts[i]);
                if (RootedResolver.lstat(current) == null) {
                    break;
                }
                FileStat stat = FileStat.of(current);
                if (stat.isWhiteout()) {
                    return false;
                }
                if (i == parts.length - 1) {
                    return !directory || stat.isDirectory();
                }
                if (!stat.isDirectory()) {
                    return false;
                }
                if (Posix.lgetxattr(current, opaqueXattr).map(v -> Arrays.equals(v, new byte[] {'y'})).orElse(false)) {
                    opaqueAbove = true;
                }
            }
            if (opaqueAbove) {
                return false;
            }
        }
        return false;
    }
}

package dev.jbuild.runtime.internal;

import dev.jbuild.runtime.Rootfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Removes the mount points jbuild-init had to create in a rootfs (e.g. {@code /proc} in an image without it, or
 * the parents of a secret's target) when the command left them empty, so they do not show up in the step's layer.
 */
final class MountPoints {
    private MountPoints() {
    }

    static void removeUnused(Rootfs rootfs, List<String> createdPaths) {
        Path base = switch (rootfs) {
            case Rootfs.Overlay overlay -> overlay.upper();
            case Rootfs.Directory directory -> directory.path();
        };
        // children were created after their parents: remove in reverse order
        for (String created : createdPaths.reversed()) {
            Path path = base.resolve(created.substring(1)).normalize();
            if (!path.startsWith(base) || path.equals(base)) {
                continue;
            }
            try {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                        || (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && Files.size(path) == 0)) {
                    Files.deleteIfExists(path);
                }
            } catch (DirectoryNotEmptyException used) {
                // the command put something there: it belongs to the layer
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove unused mount point " + path, e);
            }
        }
    }
}

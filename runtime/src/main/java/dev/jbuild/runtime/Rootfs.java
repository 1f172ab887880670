package dev.jbuild.runtime;

import dev.jbuild.runtime.internal.RunDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The root filesystem of a container: an overlay of read-only layers, or a plain directory. */
public sealed interface Rootfs {

    /**
     * An overlay whose lower directories are given top layer first (as in overlayfs' {@code lowerdir});
     * every change the container makes lands in {@code upper}, which is the step's diff. {@code upper} and
     * {@code work} must be on the same filesystem (an overlayfs rule); both are created when missing.
     */
    record Overlay(List<Path> lowerdirs, Path upper, Path work) implements Rootfs {
        public Overlay {
            lowerdirs = List.copyOf(lowerdirs);
            if (lowerdirs.isEmpty()) {
                throw new IllegalArgumentException("an overlay rootfs needs at least one lower directory");
            }
            lowerdirs = lowerdirs.stream().map(dir -> dir.toAbsolutePath().normalize()).toList();
            upper = Objects.requireNonNull(upper, "upper").toAbsolutePath().normalize();
            work = Objects.requireNonNull(work, "work").toAbsolutePath().normalize();
        }

        /** File systems overlayfs refuses as the home of an upper directory. */
        private static final Set<String> NO_UPPER = Set.of("overlay", "nfs", "nfs4", "cifs", "smb3", "9p");

        /**
         * True unless {@code directory} is on a file system that cannot hold an overlay's upper directory: another
         * overlay (a store inside a container whose root is one), or a network or FUSE file system.
         */
        public static boolean canHoldUpper(Path directory) {
            try {
                String type = Files.getFileStore(directory).type();
                return !(NO_UPPER.contains(type) || type.startsWith("fuse"));
            } catch (IOException unknown) {
                return true;
            }
        }

        /** An overlay whose upper and work directories are {@code upper} and {@code work} inside {@code containerDirectory}. */
        public static Overlay in(Path containerDirectory, List<Path> lowerdirs) {
            return new Overlay(lowerdirs, containerDirectory.resolve("upper"), containerDirectory.resolve("work"));
        }

        /**
         * Deletes the upper and work directories (the container's changes). The kernel leaves {@code work/work}
         * with mode 000, which a plain recursive delete cannot enter as a non-root user; this can.
         */
        public void deleteUpperAndWork() {
            RunDirectories.delete(upper);
            RunDirectories.delete(work);
        }
    }

    /** A directory used as the rootfs as it is; the container writes into it directly. */
    record Directory(Path path) implements Rootfs {
        public Directory {
            path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
        }
    }
}

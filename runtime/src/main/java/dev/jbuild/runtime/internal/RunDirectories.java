package dev.jbuild.runtime.internal;

import dev.jbuild.runtime.ContainerException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** Per-container scratch directories (status file, rootfs mount point) under a runtime directory of the caller. */
public final class RunDirectories {
    private RunDirectories() {
    }

    /** The directory under which containers' scratch directories live. */
    public static Path base() {
        String configured = System.getProperty("jbuild.run.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (HostFacts.effectiveUid() == 0) {
            return Path.of("/run/jbuild");
        }
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isBlank() && Files.isDirectory(Path.of(runtimeDir))) {
            return Path.of(runtimeDir, "jbuild");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "jbuild-" + HostFacts.effectiveUid());
    }

    static Path create(String name) {
        Path base = base();
        try {
            Files.createDirectories(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return Files.createDirectory(base.resolve(name));
        } catch (IOException e) {
            throw new ContainerException("cannot create the container directory under " + base + ": " + e.getMessage(), e);
        }
    }

    /** Removes a directory tree, making unreadable directories (an overlay workdir's "work" is mode 000) readable first. */
    public static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                    if (!(failure instanceof AccessDeniedException) || !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                        throw failure;
                    }
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
                    delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new ContainerException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }
}

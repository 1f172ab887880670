package dev.jbuild.builder.internal;

import dev.jbuild.runtime.Mount;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.LayerApplier;
import dev.jbuild.store.LayerChange;
import dev.jbuild.store.Store;
import dev.jbuild.store.TreeDiff;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The root filesystem of a RUN step where there is no overlay (chroot isolation): the parent image
 * flattened twice, one copy for the step to change and one to compare with afterwards
 * ({@link TreeDiff}). Both copies get the same extra files (the usual device nodes, name resolution),
 * so those are no change and stay out of the layer.
 */
final class DirectoryRootfs {
    /** Character devices a process expects in {@code /dev}: name, major, minor. */
    private static final List<Device> DEVICES = List.of(new Device("null", 1, 3), new Device("zero", 1, 5),
            new Device("full", 1, 7), new Device("random", 1, 8), new Device("urandom", 1, 9), new Device("tty", 5, 0));

    private record Device(String name, int major, int minor) {
    }

    private final Path before;
    private final Path root;

    private DirectoryRootfs(Path before, Path root) {
        this.before = before;
        this.root = root;
    }

    /** Flattens {@code layers} of {@code store} into the two trees under {@code scratch}. */
    static DirectoryRootfs flatten(Store store, List<ImageState.LayerRef> layers, Path scratch) throws IOException {
        DirectoryRootfs rootfs = new DirectoryRootfs(Files.createDirectories(scratch.resolve("before")),
                Files.createDirectories(scratch.resolve("rootfs")));
        for (Path tree : List.of(rootfs.before, rootfs.root)) {
            for (ImageState.LayerRef layer : layers) {
                try (InputStream blob = store.open(layer.blob())) {
                    LayerApplier.apply(blob, tree, ApplyMode.FLATTEN);
                }
            }
        }
        return rootfs;
    }

    /**
     * Adds the usual device nodes (skipped where creating them is not permitted) and {@code files} (clean
     * relative path to content) to both trees.
     */
    void addToBoth(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Device device : DEVICES) {
                TarArchiveEntry entry = new TarArchiveEntry("dev/" + device.name(), TarConstants.LF_CHR);
                entry.setMode(0666);
                entry.setDevMajor(device.major());
                entry.setDevMinor(device.minor());
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setMode(0644);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        for (Path tree : List.of(before, root)) {
            LayerApplier.apply(new ByteArrayInputStream(bytes.toByteArray()), tree, ApplyMode.FLATTEN);
        }
        // adding entries touched their directories at two different moments; they are no change of the step
        List<String> parents = new ArrayList<>(List.of("dev"));
        files.keySet().forEach(path -> parents.add(PathNames.parent(path)));
        for (String parent : parents) {
            Path original = before.resolve(parent);
            if (!parent.isEmpty() && Files.isDirectory(original, LinkOption.NOFOLLOW_LINKS)) {
                Files.setLastModifiedTime(root.resolve(parent), Files.getLastModifiedTime(original, LinkOption.NOFOLLOW_LINKS));
            }
        }
    }

    /**
     * Puts what {@code mount} shows at its target in the step's tree, in place of what the image has
     * there: the changes below a target never reach the layer ({@link MountStubs}).
     *
     * @throws IOException when the target's path passes through a symbolic link, which would lead out of the tree
     */
    void place(Mount mount) throws IOException {
        String path = PathNames.inside(mount.target());
        Path target = insideRoot(path);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Trees.delete(target);
        }
        Files.createDirectories(target.getParent());
        switch (mount) {
            case Mount.Bind bind -> copyTree(bind.source(), target);
            case Mount.Cache cache -> copyTree(cache.hostDirectory(), target);
            case Mount.Secret secret -> {
                Files.copy(secret.file(), target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--------"));
            }
            case Mount.Tmpfs tmpfs -> {
                Files.createDirectory(target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
        }
        // placing it touched the directories above it, which the step did not change
        for (String parent = PathNames.parent(path); !parent.isEmpty(); parent = PathNames.parent(parent)) {
            Path original = before.resolve(parent);
            if (Files.isDirectory(original, LinkOption.NOFOLLOW_LINKS)) {
                Files.setLastModifiedTime(root.resolve(parent), Files.getLastModifiedTime(original, LinkOption.NOFOLLOW_LINKS));
            }
        }
    }

    /** Keeps what the step left in a cache mount's target as the cache's content. */
    void keep(Mount.Cache cache) throws IOException {
        Path target = insideRoot(PathNames.inside(cache.target()));
        try (Stream<Path> children = Files.list(cache.hostDirectory())) {
            for (Path child : children.toList()) {
                Trees.delete(child);
            }
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            copyTree(target, cache.hostDirectory());
        }
    }

    /** {@code path} in the step's tree, refused when a directory on the way is a symbolic link. */
    private Path insideRoot(String path) throws IOException {
        Path current = root;
        for (String name : path.split("/")) {
            current = current.resolve(name);
            if (Files.isSymbolicLink(current)) {
                throw new IOException("mount target /" + path + " passes through the symbolic link /"
                        + root.relativize(current) + ", which chroot isolation cannot follow safely");
            }
        }
        return current;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            return;
        }
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(destination);
                    Files.setPosixFilePermissions(destination, Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                } else {
                    Files.copy(path, destination, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    /** The parent image as it was, flattened. */
    Path before() {
        return before;
    }

    /** The tree the step runs in. */
    Path root() {
        return root;
    }

    /** What the step changed. */
    List<LayerChange> changes() throws IOException {
        return TreeDiff.changes(before, root);
    }

    /** True when the flattened image has {@code path} (clean, relative). */
    boolean has(String path) {
        return Files.exists(before.resolve(path), LinkOption.NOFOLLOW_LINKS);
    }
}

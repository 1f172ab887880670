package dev.jbuild.builder.internal;

import dev.jbuild.runtime.Mount;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.DirectoryTrees;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The root filesystem of a RUN step where there is no overlay: the parent image flattened into a
 * directory, and a {@link TreeDiff.Snapshot} of it, against which the step's changes are found.
 * What the step needs but its image does not hold (the usual device nodes, name resolution, the
 * content of its mounts) is added after the snapshot at paths that count as mount points, so none
 * of it reaches the layer ({@link MountStubs}).
 */
final class DirectoryRootfs {
    /** Character devices a process expects in {@code /dev}: name, major, minor. */
    private static final List<Device> DEVICES = List.of(new Device("null", 1, 3), new Device("zero", 1, 5),
            new Device("full", 1, 7), new Device("random", 1, 8), new Device("urandom", 1, 9), new Device("tty", 5, 0));

    private record Device(String name, int major, int minor) {
    }

    private final Path root;
    private List<ImageState.LayerRef> layers = List.of();
    private TreeDiff.Snapshot image;
    private final Set<String> added = new LinkedHashSet<>();
    /** Mount targets content was copied to, and where what the image had there was put aside. */
    private final Map<String, Optional<Path>> placed = new LinkedHashMap<>();

    private DirectoryRootfs(Path root) {
        this.root = root;
    }

    /**
     * The tree for a step whose parent has {@code layers}: the tree an earlier step of the stage left,
     * when it holds a beginning of them, with the rest applied (a COPY's layer, or cached steps'), else
     * a new one under {@code scratch}. Flattening the image again for every step would cost each RUN
     * the whole image's files.
     */
    static DirectoryRootfs forStep(Store store, List<ImageState.LayerRef> layers, Path scratch,
                                   Optional<DirectoryRootfs> earlier) throws IOException {
        DirectoryRootfs rootfs = earlier.filter(tree -> holdsBeginningOf(tree.layers, layers))
                .orElseGet(() -> new DirectoryRootfs(scratch.resolve("rootfs")));
        Files.createDirectories(rootfs.root);
        for (ImageState.LayerRef layer : layers.subList(rootfs.layers.size(), layers.size())) {
            try (InputStream blob = store.open(layer.blob())) {
                LayerApplier.apply(blob, rootfs.root, ApplyMode.FLATTEN);
            }
        }
        rootfs.layers = List.copyOf(layers);
        rootfs.image = TreeDiff.snapshot(rootfs.root);
        return rootfs;
    }

    private static boolean holdsBeginningOf(List<ImageState.LayerRef> held, List<ImageState.LayerRef> wanted) {
        if (held.size() > wanted.size()) {
            return false;
        }
        for (int i = 0; i < held.size(); i++) {
            if (!held.get(i).diffId().equals(wanted.get(i).diffId())) {
                return false;
            }
        }
        return true;
    }

    /** Notes that the step ran and its changes, now in {@code result}'s last layer, are what the tree holds. */
    void ran(ImageState result) {
        layers = List.copyOf(result.layers());
    }

    /**
     * Adds the usual device nodes (skipped where creating them is not permitted) and {@code files} (clean
     * relative path to content), in place of what the image has there.
     */
    void add(Map<String, String> files) throws IOException {
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
                added.add("dev/" + device.name());
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setMode(0644);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
                added.add(file.getKey());
            }
        }
        LayerApplier.apply(new ByteArrayInputStream(bytes.toByteArray()), root, ApplyMode.FLATTEN);
        for (String path : added) {
            restoreParentTimes(path);
        }
    }

    /**
     * Puts what {@code mount} shows at its target, in place of what the image has there (without
     * namespaces, nothing can be mounted).
     *
     * @throws IOException when the target's path passes through a symbolic link, which would lead out of the tree
     */
    void place(Mount mount) throws IOException {
        String path = PathNames.inside(mount.target());
        Path target = insideRoot(path);
        Optional<Path> asideFrom = Optional.empty();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Path aside = root.resolveSibling("aside-" + placed.size());
            Files.move(target, aside);
            asideFrom = Optional.of(aside);
        }
        placed.put(path, asideFrom);
        Files.createDirectories(target.getParent());
        switch (mount) {
            case Mount.Bind bind -> DirectoryTrees.copy(bind.source(), target);
            case Mount.Cache cache -> DirectoryTrees.copy(cache.hostDirectory(), target);
            case Mount.Secret secret -> {
                Files.copy(secret.file(), target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--------"));
            }
            case Mount.Tmpfs tmpfs -> {
                Files.createDirectory(target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
        }
        restoreParentTimes(path);
    }

    /**
     * Makes the tree the image again plus the step's own changes, for the stage's next step: what was
     * copied to mount targets goes and what the image had there comes back, and mount points the
     * runtime made where the image had nothing are removed with the directories made only for them.
     */
    void clearMounts(List<String> mountPoints) throws IOException {
        for (Map.Entry<String, Optional<Path>> mount : placed.entrySet()) {
            Path target = root.resolve(mount.getKey());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                DirectoryTrees.delete(target);
            }
            if (mount.getValue().isPresent()) {
                Files.move(mount.getValue().get(), target);
            }
            removeMadeParents(mount.getKey());
        }
        placed.clear();
        for (String mountPoint : mountPoints) {
            String path = PathNames.inside(mountPoint);
            Path target = root.resolve(path);
            if (!image.contains(path) && !added.contains(path) && isEmpty(target)) {
                Files.delete(target);
                removeMadeParents(path);
            }
        }
    }

    /** Removes the empty directories above {@code path} that the image did not have. */
    private void removeMadeParents(String path) throws IOException {
        for (String parent = PathNames.parent(path); !parent.isEmpty() && !image.contains(parent);
             parent = PathNames.parent(parent)) {
            Path directory = root.resolve(parent);
            if (!isEmpty(directory)) {
                return;
            }
            Files.delete(directory);
        }
    }

    private static boolean isEmpty(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(path)) {
                return children.findAny().isEmpty();
            }
        }
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && Files.size(path) == 0;
    }

    /** Keeps what the step left in a cache mount's target as the cache's content. */
    void keep(Mount.Cache cache) throws IOException {
        Path target = insideRoot(PathNames.inside(cache.target()));
        try (Stream<Path> children = Files.list(cache.hostDirectory())) {
            for (Path child : children.toList()) {
                DirectoryTrees.delete(child);
            }
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            DirectoryTrees.copy(target, cache.hostDirectory());
        }
    }

    /** The tree the step runs in. */
    Path root() {
        return root;
    }

    /** True when the flattened image has {@code path} (clean, relative). */
    boolean has(String path) {
        return image.contains(path);
    }

    /**
     * What the step changed, less what was added for it and whatever is at or below {@code mountPoints}
     * (absolute paths the runtime mounted over).
     */
    List<LayerChange> changes(List<String> mountPoints) throws IOException {
        Set<String> ignored = new HashSet<>(added);
        ignored.addAll(placed.keySet());
        mountPoints.forEach(target -> ignored.add(PathNames.inside(target)));
        // the directories made only to hold what was added are no change either
        return MountStubs.remove(image.changes(ignored), ignored.stream().map(path -> "/" + path).toList(),
                image::contains);
    }

    /** Adding {@code path} touched the directories above it, which the step did not change. */
    private void restoreParentTimes(String path) throws IOException {
        for (String parent = PathNames.parent(path); !parent.isEmpty(); parent = PathNames.parent(parent)) {
            if (image.contains(parent) && Files.isDirectory(root.resolve(parent), LinkOption.NOFOLLOW_LINKS)) {
                Files.setLastModifiedTime(root.resolve(parent), image.modified(parent));
            }
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
}

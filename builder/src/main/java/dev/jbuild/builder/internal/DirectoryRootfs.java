package dev.jbuild.builder.internal;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

package dev.jbuild.builder.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The merged view of an image's unpacked layers (each in overlay form: whiteouts are char devices
 * 0/0, opaque directories carry {@code user.overlay.opaque=y}), read without mounting anything.
 */
public final class LayeredTree implements FileTree {
    private final List<Path> layersTopFirst;

    /** A view of {@code layersTopFirst}, the top layer's directory first. */
    public LayeredTree(List<Path> layersTopFirst) {
        this.layersTopFirst = List.copyOf(layersTopFirst);
    }

    @Override
    public Optional<Path> find(String path) throws IOException {
        String[] names = path.isEmpty() ? new String[0] : path.split("/");
        for (Path layer : layersTopFirst) {
            Path current = layer;
            boolean stop = false;
            for (int i = 0; i < names.length; i++) {
                current = current.resolve(names[i]);
                if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                    break;
                }
                if (isWhiteout(current)) {
                    return Optional.empty();
                }
                if (i == names.length - 1) {
                    return Optional.of(current);
                }
                if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.empty();
                }
                if (isOpaque(current)) {
                    stop = true;
                }
            }
            if (names.length == 0) {
                return Optional.of(layer);
            }
            if (stop) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public List<String> list(String path) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        TreeSet<String> hidden = new TreeSet<>();
        String[] parts = path.isEmpty() ? new String[0] : path.split("/");
        for (Path layer : layersTopFirst) {
            Path directory = layer;
            boolean present = true;
            boolean blocked = false;
            boolean opaque = false;
            for (String part : parts) {
                directory = directory.resolve(part);
                if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
                    present = false;
                    break;
                }
                if (isWhiteout(directory) || !Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                    blocked = true;
                    break;
                }
                opaque |= isOpaque(directory);
            }
            if (blocked) {
                break;
            }
            if (!present) {
                if (opaque) {
                    break;
                }
                continue;
            }
            try (Stream<Path> children = Files.list(directory)) {
                for (Path child : (Iterable<Path>) children::iterator) {
                    String name = child.getFileName().toString();
                    if (hidden.contains(name)) {
                        continue;
                    }
                    if (isWhiteout(child)) {
                        hidden.add(name);
                    } else {
                        names.add(name);
                        hidden.add(name);
                    }
                }
            }
            if (opaque) {
                break;
            }
        }
        return List.copyOf(names);
    }

    @Override
    public boolean keepsOwners() {
        return true;
    }

    /** True for an overlay whiteout: a character device with device number 0/0. */
    static boolean isWhiteout(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0170000) != 0020000) {
            return false;
        }
        return ((Long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS)) == 0L;
    }

    private static boolean isOpaque(Path directory) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(directory, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return false;
        }
        try {
            if (!view.list().contains("overlay.opaque")) {
                return false;
            }
            ByteBuffer value = ByteBuffer.allocate(view.size("overlay.opaque"));
            view.read("overlay.opaque", value);
            return value.position() == 1 && value.get(0) == 'y';
        } catch (IOException | UnsupportedOperationException unreadable) {
            return false;
        }
    }
}

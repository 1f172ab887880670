package dev.jbuild.store.internal.fs;

import dev.jbuild.store.LayerRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves relative paths inside a root the way a chroot would: component by component without
 * following the final component, with symlinks in parent positions resolved against the root (an
 * absolute target starts at the root, {@code ..} stops at the root). Nothing it returns can lie
 * outside the root.
 */
public final class RootedResolver {
    private static final int MAX_SYMLINKS = 40;

    private final Path root;
    private final Map<List<String>, Path> directories = new HashMap<>();

    public RootedResolver(Path root) {
        this.root = root;
    }

    /**
     * Splits a tar entry name into clean components, refusing absolute names and {@code ..}. An empty
     * list means the root itself.
     */
    public static List<String> components(String name) throws LayerRejectedException {
        if (name.startsWith("/")) {
            throw new LayerRejectedException(name, "absolute path");
        }
        if (name.indexOf('\0') >= 0) {
            throw new LayerRejectedException(name, "NUL byte in path");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new LayerRejectedException(name, "path contains \"..\"");
            }
            parts.add(part);
        }
        return List.copyOf(parts);
    }

    /**
     * The directory named by {@code components} inside the root, creating missing directories
     * (mode 0755) when {@code create} is set; empty when it is missing and {@code create} is not.
     */
    public Optional<Path> directory(List<String> components, boolean create, String entry) throws IOException {
        Path cached = directories.get(components);
        if (cached != null) {
            return Optional.of(cached);
        }
        Deque<String> pending = new ArrayDeque<>(components);
        List<String> resolved = new ArrayList<>();
        Path current = root;
        int symlinks = 0;
        while (!pending.isEmpty()) {
            String part = pending.removeFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.removeLast();
                    current = current.getParent();
                }
                continue;
            }
            Path next = current.resolve(part);
            BasicFileAttributes attributes = lstat(next);
            if (attributes == null) {
                if (!create) {
                    return Optional.empty();
                }
                Files.createDirectory(next);
                Posix.chmod(next, 0755);
                resolved.add(part);
                current = next;
            } else if (attributes.isSymbolicLink()) {
                if (++symlinks > MAX_SYMLINKS) {
                    throw new LayerRejectedException(entry, "too many levels of symbolic links");
                }
                String target = Files.readSymbolicLink(next).toString();
                if (target.startsWith("/")) {
                    resolved.clear();
                    current = root;
                }
                String[] targetParts = target.split("/");
                for (int i = targetParts.length - 1; i >= 0; i--) {
                    pending.addFirst(targetParts[i]);
                }
            } else if (attributes.isDirectory()) {
                resolved.add(part);
                current = next;
            } else {
                throw new LayerRejectedException(entry, "parent \"" + String.join("/", resolved.isEmpty()
                        ? List.of(part) : append(resolved, part)) + "\" is not a directory");
            }
        }
        directories.put(components, current);
        return Optional.of(current);
    }

    /** Forgets resolved directories; called whenever anything is removed or a symlink is created. */
    public void invalidate() {
        directories.clear();
    }

    /** The attributes of {@code path} itself (not a symlink's target), or null when it does not exist. */
    public static BasicFileAttributes lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static List<String> append(List<String> list, String last) {
        List<String> joined = new ArrayList<>(list);
        joined.add(last);
        return joined;
    }
}

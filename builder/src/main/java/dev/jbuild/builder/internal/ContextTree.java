package dev.jbuild.builder.internal;

import dev.jbuild.store.FileDigests;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The build context directory with its {@code .dockerignore} applied: ignored paths do not exist. */
public final class ContextTree implements FileTree {
    private final Path root;
    private final IgnorePatterns ignore;
    private final FileDigests digests;

    /** A directory read for one step only (a git checkout, a download): its files' digests are not remembered. */
    public ContextTree(Path root, IgnorePatterns ignore) {
        this(root, ignore, FileDigests.none());
    }

    public ContextTree(Path root, IgnorePatterns ignore, FileDigests digests) {
        this.root = root.toAbsolutePath().normalize();
        this.ignore = ignore;
        this.digests = digests;
    }

    /** The context's root directory. */
    public Path root() {
        return root;
    }

    /**
     * Reads the ignore file that applies to {@code dockerfile}: {@code <Dockerfile>.dockerignore}
     * beside it when present, else {@code .dockerignore} at the context root, else none.
     */
    public static IgnorePatterns ignoreFor(Path contextRoot, Optional<Path> dockerfile) throws IOException {
        if (dockerfile.isPresent()) {
            Path specific = dockerfile.get().resolveSibling(dockerfile.get().getFileName() + ".dockerignore");
            if (Files.isRegularFile(specific)) {
                return IgnorePatterns.parse(Files.readString(specific));
            }
        }
        Path general = contextRoot.resolve(".dockerignore");
        return Files.isRegularFile(general) ? IgnorePatterns.parse(Files.readString(general)) : IgnorePatterns.NONE;
    }

    /** True when the ignore file excludes the clean relative {@code path} (never the root itself). */
    boolean ignores(String path) {
        return !path.isEmpty() && ignore.excludes(path);
    }

    @Override
    public Optional<Path> find(String path) throws IOException {
        Path file = root.resolve(path);
        if (!path.isEmpty() && ignore.excludes(path)
                && !(ignore.hasExclusions() && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS))) {
            // an ignored directory still holds what a later ! pattern brings back
            return Optional.empty();
        }
        Path parent = root;
        if (!path.isEmpty()) {
            for (String name : PathNames.parent(path).isEmpty() ? new String[0] : PathNames.parent(path).split("/")) {
                parent = parent.resolve(name);
                if (Files.isSymbolicLink(parent)) {
                    return Optional.empty();
                }
            }
        }
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public List<String> list(String path) throws IOException {
        return children(path).stream().map(Child::name).toList();
    }

    /** Lists the directory once: a child of a directory reached this way needs none of {@link #find}'s checks again. */
    @Override
    public List<Child> children(String path) throws IOException {
        Optional<Path> directory = path.isEmpty() ? Optional.of(root) : find(path);
        if (directory.isEmpty() || !Files.isDirectory(directory.get(), LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<Child> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory.get())) {
            for (Path child : entries) {
                String name = child.getFileName().toString();
                String relative = PathNames.join(path, name);
                if (!ignore.excludes(relative) || (ignore.hasExclusions() && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS))) {
                    children.add(new Child(name, child));
                }
            }
        }
        children.sort(Comparator.comparing(Child::name));
        return children;
    }

    @Override
    public boolean keepsOwners() {
        return false;
    }

    @Override
    public FileDigests digests() {
        return digests;
    }
}

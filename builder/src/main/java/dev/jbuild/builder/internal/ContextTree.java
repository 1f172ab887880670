package dev.jbuild.builder.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The build context directory with its {@code .dockerignore} applied: ignored paths do not exist. */
public final class ContextTree implements FileTree {
    private final Path root;
    private final IgnorePatterns ignore;

    public ContextTree(Path root, IgnorePatterns ignore) {
        this.root = root.toAbsolutePath().normalize();
        this.ignore = ignore;
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
        Optional<Path> directory = path.isEmpty() ? Optional.of(root) : find(path);
        if (directory.isEmpty() || !Files.isDirectory(directory.get(), LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> children = Files.list(directory.get())) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                String relative = PathNames.join(path, name);
                if (!ignore.excludes(relative) || (ignore.hasExclusions() && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS))) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    @Override
    public boolean keepsOwners() {
        return false;
    }
}

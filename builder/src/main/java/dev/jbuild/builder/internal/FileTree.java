package dev.jbuild.builder.internal;

import dev.jbuild.store.FileDigests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A read-only tree of files that COPY reads from: the build context, or an image's merged layers. */
public interface FileTree {
    /** The real file holding clean relative {@code path} ({@code ""} is the root), without following a final symlink. */
    Optional<Path> find(String path) throws IOException;

    /** The names directly inside directory {@code path}, sorted; empty when it is not a directory. */
    List<String> list(String path) throws IOException;

    /** What directly inside directory {@code path} exists: each name with its real file, sorted by name. */
    default List<Child> children(String path) throws IOException {
        List<Child> children = new ArrayList<>();
        for (String name : list(path)) {
            find(PathNames.join(path, name)).ifPresent(file -> children.add(new Child(name, file)));
        }
        return children;
    }

    /** A name inside a directory of the tree, and the real file holding it. */
    record Child(String name, Path file) {
    }

    /** True when files from this tree keep their owners (image layers); false when they become root's (the context). */
    boolean keepsOwners();

    /** Where the digests of this tree's files are remembered between builds; nowhere unless the tree says so. */
    default FileDigests digests() {
        return FileDigests.none();
    }
}

package dev.jbuild.builder.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A read-only tree of files that COPY reads from: the build context, or an image's merged layers. */
public interface FileTree {
    /** The real file holding clean relative {@code path} ({@code ""} is the root), without following a final symlink. */
    Optional<Path> find(String path) throws IOException;

    /** The names directly inside directory {@code path}, sorted; empty when it is not a directory. */
    List<String> list(String path) throws IOException;

    /** True when files from this tree keep their owners (image layers); false when they become root's (the context). */
    boolean keepsOwners();
}

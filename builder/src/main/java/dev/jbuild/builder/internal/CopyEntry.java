package dev.jbuild.builder.internal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One path a COPY or ADD writes into its layer, with the metadata it gets there.
 *
 * @param path     clean relative path in the image
 * @param kind     what it is
 * @param source   the file its content and mtime come from (empty for directories it creates and heredocs)
 * @param content  inline content (heredocs), for files without a source
 * @param link     the target of a symlink
 * @param mode     permission bits (with set-id and sticky bits)
 * @param uid      owner
 * @param gid      group
 */
public record CopyEntry(String path, Kind kind, Optional<Path> source, byte[] content, String link, int mode, int uid,
                        int gid) {
    /** What a copied path is. */
    public enum Kind { DIRECTORY, FILE, SYMLINK }

    public CopyEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        content = content == null ? new byte[0] : content.clone();
        link = link == null ? "" : link;
        if (path.isEmpty() || path.startsWith("/")) {
            throw new IllegalArgumentException("copy path must be relative and not empty: \"" + path + "\"");
        }
    }

    @Override
    public byte[] content() {
        return content.clone();
    }
}

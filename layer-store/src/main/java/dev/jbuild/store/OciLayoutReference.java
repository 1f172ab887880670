package dev.jbuild.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An {@code oci:DIR[:TAG]} transport argument, split as skopeo splits it: at the first colon
 * after {@code oci:}, so a tag may itself hold colons ({@code oci:out:docker.io/library/app:1}).
 * An empty tag means the layout's only image.
 */
public record OciLayoutReference(Path directory, String tag) {
    public static final String PREFIX = "oci:";

    public OciLayoutReference {
        Objects.requireNonNull(directory, "directory");
        tag = tag == null ? "" : tag;
    }

    /** True when {@code text} uses the {@code oci:} transport. */
    public static boolean isOciLayout(String text) {
        return text.startsWith(PREFIX);
    }

    /** Parses {@code oci:DIR[:TAG]}. */
    public static OciLayoutReference parse(String text) {
        if (!isOciLayout(text)) {
            throw new IllegalArgumentException("not an OCI layout reference \"" + text + "\": expected oci:DIR[:TAG]");
        }
        String rest = text.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        String directory = colon < 0 ? rest : rest.substring(0, colon);
        if (directory.isEmpty()) {
            throw new IllegalArgumentException("invalid OCI layout reference \"" + text + "\": the directory is empty");
        }
        return new OciLayoutReference(Path.of(directory), colon < 0 ? "" : rest.substring(colon + 1));
    }

    @Override
    public String toString() {
        return PREFIX + directory + (tag.isEmpty() ? "" : ":" + tag);
    }
}

package dev.jbuild.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** One change a layer records, relative to the layers below it: an added or modified path, a deletion, or an opaque directory. */
public sealed interface LayerChange {
    /** The slash-separated path inside the image, without a leading slash. */
    String path();

    /**
     * {@code path} was added or changed; its type, content and metadata are read from {@code source},
     * except its owner when {@code owner} is given (files staged by a process that cannot chown).
     */
    record Put(String path, Path source, Optional<FileOwner> owner) implements LayerChange {
        public Put {
            path = checked(path);
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(owner, "owner");
        }

        /** {@code path} with everything, its owner included, read from {@code source}. */
        public Put(String path, Path source) {
            this(path, source, Optional.empty());
        }
    }

    /** {@code path} was deleted (written as {@code .wh.<name>}). */
    record Whiteout(String path) implements LayerChange {
        public Whiteout {
            path = checked(path);
        }
    }

    /** Everything below directory {@code path} from lower layers is hidden (written as {@code .wh..wh..opq}). */
    record Opaque(String path) implements LayerChange {
        public Opaque {
            path = checked(path);
        }
    }

    private static String checked(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("layer path must be relative and clean: \"" + path + "\"");
        }
        for (String part : path.split("/")) {
            if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("layer path must not contain . or ..: \"" + path + "\"");
            }
        }
        return path;
    }
}

package dev.jbuild.builder;

import dev.jbuild.oci.Reference;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A context {@code --build-context NAME=VALUE} adds: {@code FROM NAME}, {@code COPY --from=NAME} and
 * {@code RUN --mount=from=NAME} read it instead of the image or stage of that name, as with buildx.
 */
public sealed interface NamedContext {
    /** A local directory, read like the build context (with its own {@code .dockerignore}). */
    record Directory(Path path) implements NamedContext {
        public Directory {
            path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
        }
    }

    /** An image from a registry or the store ({@code docker-image://REF}). */
    record Image(String reference) implements NamedContext {
        public Image {
            Reference.parse(Objects.requireNonNull(reference, "reference"));
        }
    }

    /** An image of an OCI layout directory, by tag or digest ({@code oci-layout://DIR[:TAG|@DIGEST]}). */
    record OciLayout(Path directory, String tagOrDigest) implements NamedContext {
        public OciLayout {
            directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
            Objects.requireNonNull(tagOrDigest, "tagOrDigest");
        }
    }

    /** One {@code --build-context} value: its name (lower case, as stage names compare) and its context. */
    record Named(String name, NamedContext context) {
        public Named {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(context, "context");
        }
    }

    /** Parses {@code NAME=VALUE}: {@code docker-image://REF}, {@code oci-layout://DIR[:TAG|@DIGEST]} or a directory. */
    static Named parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        int equals = spec.indexOf('=');
        if (equals <= 0 || equals == spec.length() - 1) {
            throw new IllegalArgumentException("invalid --build-context \"" + spec + "\" (expected NAME=VALUE)");
        }
        String name = spec.substring(0, equals).toLowerCase(Locale.ROOT);
        String value = spec.substring(equals + 1);
        if (value.startsWith("docker-image://")) {
            return new Named(name, new Image(value.substring("docker-image://".length())));
        }
        if (value.startsWith("oci-layout://")) {
            String layout = value.substring("oci-layout://".length());
            int at = layout.indexOf('@');
            int colon = layout.lastIndexOf(':');
            if (at >= 0) {
                return new Named(name, new OciLayout(Path.of(layout.substring(0, at)), layout.substring(at + 1)));
            }
            if (colon > layout.lastIndexOf('/')) {
                return new Named(name, new OciLayout(Path.of(layout.substring(0, colon)), layout.substring(colon + 1)));
            }
            return new Named(name, new OciLayout(Path.of(layout), "latest"));
        }
        if (value.matches("[a-z][a-z0-9+.-]*://.*") || value.startsWith("target:")) {
            throw new IllegalArgumentException("unsupported --build-context " + name + "=" + value
                    + " (jbuild takes a directory, docker-image://REF or oci-layout://DIR[:TAG])");
        }
        return new Named(name, new Directory(Path.of(value)));
    }
}

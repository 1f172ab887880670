package dev.jbuild.cli;

import dev.jbuild.oci.ContentSink;
import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import dev.jbuild.store.DockerArchiveSink;
import dev.jbuild.store.DockerArchiveSource;
import dev.jbuild.store.OciLayout;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One side of {@code jbuild copy}, parsed from its transport prefix: {@code docker://REF} (a
 * registry), {@code oci:DIR[:TAG]} (an OCI image layout), {@code docker-archive:FILE[:TAG]} (a
 * {@code docker save} tarball) or a bare name (the store). A new
 * transport is one more record and one more case in {@link #parse}.
 */
sealed interface CopyLocation {
    /** What the copy needs to open sides: the registry client and the store (opened on demand). */
    record Context(Registry registry, StoreOpener store) {
    }

    /** Opens the store only when a side is the store. */
    @FunctionalInterface
    interface StoreOpener {
        Store open() throws IOException;
    }

    /** Transports other tools know that this build does not read or write. */
    java.util.Set<String> UNSUPPORTED = java.util.Set.of("oci-archive", "dir",
            "containers-storage", "docker-daemon");

    /** Parses {@code TRANSPORT:DETAILS} or a bare store reference. */
    static CopyLocation parse(String text) {
        try {
            if (text.startsWith("docker://")) {
                return new RegistryLocation(Reference.parse(text.substring("docker://".length())));
            }
            if (text.startsWith("oci:")) {
                return LayoutLocation.parse(text.substring("oci:".length()));
            }
            if (text.startsWith("docker-archive:")) {
                return ArchiveLocation.parse(text.substring("docker-archive:".length()));
            }
            int colon = text.indexOf(':');
            if (colon > 0 && UNSUPPORTED.contains(text.substring(0, colon))) {
                throw new UsageException("transport \"" + text.substring(0, colon) + ":\" is not supported here"
                        + " (use docker://, oci:, docker-archive: or a store name)");
            }
            return new StoreLocation(Reference.parse(text));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The source to read from. */
    ContentSource source(Context context) throws IOException;

    /** The sink to write to. */
    ContentSink sink(Context context) throws IOException;

    /** What to resolve in the source: a tag or a digest. */
    String identifier();

    /** The tag to set in the sink after a copy, or empty for none. */
    String destinationTag();

    /** A registry repository, {@code docker://registry/name[:tag|@digest]}. */
    record RegistryLocation(Reference reference) implements CopyLocation {
        @Override
        public ContentSource source(Context context) throws IOException {
            return context.registry().pullRepository(reference);
        }

        @Override
        public ContentSink sink(Context context) throws IOException {
            return context.registry().repository(reference);
        }

        @Override
        public String identifier() {
            return reference.identifier();
        }

        @Override
        public String destinationTag() {
            return reference.tag();
        }
    }

    /** An OCI image layout directory, {@code oci:DIR[:TAG]}. */
    record LayoutLocation(Path directory, String tag) implements CopyLocation {
        static LayoutLocation parse(String details) {
            int colon = details.lastIndexOf(':');
            if (colon > 0 && !details.substring(colon + 1).contains("/")) {
                return new LayoutLocation(Path.of(details.substring(0, colon)), details.substring(colon + 1));
            }
            if (details.isEmpty()) {
                throw new UsageException("oci: needs a directory, as in oci:DIR[:TAG]");
            }
            return new LayoutLocation(Path.of(details), "");
        }

        @Override
        public ContentSource source(Context context) throws IOException {
            return OciLayout.open(directory);
        }

        @Override
        public ContentSink sink(Context context) throws IOException {
            return OciLayout.create(directory);
        }

        @Override
        public String identifier() {
            if (tag.isEmpty()) {
                throw new UsageException("name the image in the layout: oci:" + directory + ":TAG");
            }
            return tag;
        }

        @Override
        public String destinationTag() {
            return tag;
        }
    }

    /** An image in the store, by reference. */
    record StoreLocation(Reference reference) implements CopyLocation {
        @Override
        public ContentSource source(Context context) throws IOException {
            return context.store().open();
        }

        @Override
        public ContentSink sink(Context context) throws IOException {
            return context.store().open();
        }

        @Override
        public String identifier() {
            return reference.toString();
        }

        @Override
        public String destinationTag() {
            return reference.tag().isEmpty() ? "" : reference.toString();
        }
    }

    /**
     * A docker-archive tarball, {@code docker-archive:FILE[:TAG]}; as in skopeo, the file name ends
     * at the first colon. Reading without a tag takes the only image; writing without one tags
     * nothing, which a docker-archive cannot hold, so a destination needs the tag.
     */
    record ArchiveLocation(Path file, String tag) implements CopyLocation {
        static ArchiveLocation parse(String details) {
            int colon = details.indexOf(':');
            String file = colon < 0 ? details : details.substring(0, colon);
            if (file.isEmpty()) {
                throw new UsageException("docker-archive: needs a file, as in docker-archive:FILE[:TAG]");
            }
            return new ArchiveLocation(Path.of(file), colon < 0 ? "" : details.substring(colon + 1));
        }

        @Override
        public ContentSource source(Context context) throws IOException {
            return DockerArchiveSource.open(file);
        }

        @Override
        public ContentSink sink(Context context) throws IOException {
            if (tag.isEmpty()) {
                throw new UsageException("name the image to write: docker-archive:" + file + ":NAME[:TAG]");
            }
            return DockerArchiveSink.create(file);
        }

        @Override
        public String identifier() {
            return tag;
        }

        @Override
        public String destinationTag() {
            return tag;
        }
    }
}

package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.builder.Output;
import dev.jbuild.builder.ProgressListener;
import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Layer;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.BuildScratch;
import dev.jbuild.store.DirectoryTrees;
import dev.jbuild.store.DockerArchiveSink;
import dev.jbuild.store.FileOwner;
import dev.jbuild.store.LayerApplier;
import dev.jbuild.store.LayerWriteOptions;
import dev.jbuild.store.LayerWriter;
import dev.jbuild.store.OciLayout;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes a built image to the outputs a request names: a registry, an OCI layout, a docker archive, a file tree. */
public final class Exporter {
    private final Store store;
    private final RegistryOptions registryOptions;
    private final ProgressListener progress;
    private final Optional<ProvenanceAttestations> attestations;
    /** Each root attested once, so every output of one build carries the same attestation (and digest). */
    private final Map<Descriptor, Descriptor> attested = new HashMap<>();

    /** An exporter that attaches {@code attestations} to the images it pushes or writes as OCI layouts. */
    public Exporter(Store store, RegistryOptions registryOptions, ProgressListener progress,
                    Optional<ProvenanceAttestations> attestations) {
        this.store = store;
        this.registryOptions = registryOptions;
        this.progress = progress;
        this.attestations = attestations;
    }

    /**
     * Exports the image or index {@code manifest} (tagged {@code tags}) to {@code output}; returns
     * what was written there: for a registry or an OCI layout, the form with gzip layers (see
     * {@link Store#withCompressedLayers}), in an index with its attestations when there are any; a
     * docker archive keeps uncompressed layers and no attestations, as {@code docker save} writes them.
     */
    public Descriptor export(Output output, Descriptor manifest, ImageState state, List<String> tags) throws IOException {
        return switch (output) {
            case Output.Registry registry -> push(manifest, tags);
            case Output.LocalStore store -> manifest;
            case Output.OciLayout layout -> ociLayout(layout, manifest, tags);
            case Output.DockerArchive archive -> {
                progress.onEvent(new BuildEvent.Message("exporting docker archive to " + name(archive.destination())));
                writeFile(archive.destination(), file -> {
                    try (DockerArchiveSink sink = DockerArchiveSink.create(file)) {
                        // one tar stream: blobs go in one at a time
                        ContentCopy copy = new ContentCopy(store, sink, null, 1, ContentCopy.Listener.NONE);
                        copy.copy(manifest, tags.isEmpty() ? "" : Reference.parse(tags.getFirst()).toString());
                        for (String tag : tags.stream().skip(1).toList()) {
                            sink.tag(Reference.parse(tag).toString(), manifest);
                        }
                    }
                });
                yield manifest;
            }
            case Output.Tarball tarball -> {
                progress.onEvent(new BuildEvent.Message("exporting file tree as a tar to " + name(tarball.destination())));
                writeFile(tarball.destination(), file -> {
                    try (BuildScratch scratch = store.newBuildScratch()) {
                        Path tree = Files.createDirectories(scratch.path().resolve("tree"));
                        Map<String, FileOwner> owners = flatten(blobs(state), tree);
                        attestFiles(tree, state.config().platform());
                        writeTree(tree, owners, file);
                    }
                });
                yield manifest;
            }
            case Output.LocalDirectory local -> {
                progress.onEvent(new BuildEvent.Message("exporting file tree to " + local.destination()));
                localTree(blobs(state), Files.createDirectories(local.destination()), state.config().platform());
                yield manifest;
            }
        };
    }

    /**
     * Writes the image or index {@code root} with gzip layers (and attestations, in an index) as the
     * OCI layout {@code layout} asks for; returns what it wrote.
     */
    public Descriptor ociLayout(Output.OciLayout layout, Descriptor root, List<String> tags) throws IOException {
        Descriptor exported = attested(compressed(root), tags);
        ociLayout(exported, tags, layout.destination(), layout.tar());
        return exported;
    }

    /** {@code root} with the build's attestations beside each image, in an index; {@code root} when there are none. */
    private Descriptor attested(Descriptor root, List<String> tags) throws IOException {
        if (attestations.isEmpty()) {
            return root;
        }
        Descriptor known = attested.get(root);
        if (known == null) {
            progress.onEvent(new BuildEvent.Message("attaching provenance attestations"));
            known = attestations.get().attach(root, tags);
            attested.put(root, known);
        }
        return known;
    }

    private Descriptor compressed(Descriptor manifest) throws IOException {
        return store.withCompressedLayers(manifest, layer -> progress.onEvent(new BuildEvent.Message(
                "compressing layer " + layer.digest() + " (" + layer.size() + " bytes) for export")));
    }

    /**
     * Pushes the image or index {@code manifest} with gzip layers (and attestations, in an index) to
     * every tag; returns what was pushed.
     */
    public Descriptor push(Descriptor manifest, List<String> tags) throws IOException {
        if (tags.isEmpty()) {
            throw new IOException("--push needs at least one -t NAME to push to");
        }
        Descriptor exported = attested(compressed(manifest), tags);
        try (Registry registry = new Registry(registryOptions)) {
            for (String tag : tags) {
                Reference reference = Reference.parse(tag);
                progress.onEvent(new BuildEvent.Message("pushing " + reference.familiar()));
                new ContentCopy(store, registry.repository(reference), null, 4, ContentCopy.Listener.NONE)
                        .copy(exported, reference.tag());
            }
        }
        return exported;
    }

    private void ociLayout(Descriptor manifest, List<String> tags, Path destination, boolean tar) throws IOException {
        progress.onEvent(new BuildEvent.Message("exporting OCI layout to " + name(destination)));
        if (!tar) {
            writeLayout(manifest, tags, destination);
            return;
        }
        try (BuildScratch scratch = store.newBuildScratch()) {
            Path directory = scratch.path().resolve("layout");
            writeLayout(manifest, tags, directory);
            writeFile(destination, file -> {
                try (OutputStream stream = Files.newOutputStream(file);
                     TarArchiveOutputStream out = new TarArchiveOutputStream(stream)) {
                    out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    try (Stream<Path> paths = Files.walk(directory)) {
                        for (Path path : paths.sorted().toList()) {
                            if (path.equals(directory)) {
                                continue;
                            }
                            String name = directory.relativize(path).toString();
                            boolean isDirectory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
                            TarArchiveEntry entry = new TarArchiveEntry(isDirectory ? name + "/" : name);
                            entry.setModTime(0);
                            entry.setMode(isDirectory ? 040755 : 0100644);
                            if (!isDirectory) {
                                entry.setSize(Files.size(path));
                            }
                            out.putArchiveEntry(entry);
                            if (!isDirectory) {
                                Files.copy(path, out);
                            }
                            out.closeArchiveEntry();
                        }
                    }
                }
            });
        }
    }

    private void writeLayout(Descriptor manifest, List<String> tags, Path directory) throws IOException {
        OciLayout layout = OciLayout.create(directory);
        ContentCopy copy = new ContentCopy(store, layout, null, 4, ContentCopy.Listener.NONE);
        copy.copy(manifest, tags.isEmpty() ? "" : Reference.parse(tags.getFirst()).tag());
        for (String tag : tags.stream().skip(1).toList()) {
            layout.tag(Reference.parse(tag).tag(), manifest);
        }
    }

    /**
     * Writes the file trees of a multi-platform build's images, as buildx does: a {@code type=local}
     * directory or a {@code type=tar} tar holding one directory per platform, named like {@code linux_arm64}.
     */
    public void platformFileTrees(Output output, Map<Platform, Descriptor> images) throws IOException {
        switch (output) {
            case Output.LocalDirectory local -> {
                progress.onEvent(new BuildEvent.Message("exporting file trees to " + local.destination()));
                for (Map.Entry<Platform, Descriptor> image : images.entrySet()) {
                    localTree(blobs(image.getValue()),
                            Files.createDirectories(local.destination().resolve(directoryName(image.getKey()))),
                            image.getKey());
                }
            }
            case Output.Tarball tarball -> {
                progress.onEvent(new BuildEvent.Message("exporting file trees as a tar to " + name(tarball.destination())));
                writeFile(tarball.destination(), file -> {
                    try (BuildScratch scratch = store.newBuildScratch()) {
                        Path tree = Files.createDirectories(scratch.path().resolve("tree"));
                        Map<String, FileOwner> owners = new HashMap<>();
                        for (Map.Entry<Platform, Descriptor> image : images.entrySet()) {
                            String directory = directoryName(image.getKey());
                            Path platformTree = Files.createDirectories(tree.resolve(directory));
                            flatten(blobs(image.getValue()), platformTree)
                                    .forEach((path, owner) -> owners.put(directory + "/" + path, owner));
                            attestFiles(platformTree, image.getKey());
                        }
                        writeTree(tree, owners, file);
                    }
                });
            }
            default -> throw new IllegalArgumentException("--output " + output + " is no file tree");
        }
    }

    /** A platform's directory in a multi-platform file tree: {@code linux_amd64}, {@code linux_arm_v7}. */
    private static String directoryName(Platform platform) {
        return platform.format().replace('/', '_');
    }

    private static List<Descriptor> blobs(ImageState state) {
        return state.layers().stream().map(ImageState.LayerRef::blob).toList();
    }

    private List<Descriptor> blobs(Descriptor manifest) throws IOException {
        List<Descriptor> blobs = new ArrayList<>();
        for (Layer layer : store.image(manifest.digest().toString()).layers()) {
            blobs.add(layer.descriptor());
        }
        return blobs;
    }

    /**
     * Applies the layer blobs to the directory {@code destination}, with the provenance statement about
     * their files when the build attests. The statement's subjects are the image's files only, so they are
     * read from a tree of their own: the destination may hold files of its own.
     */
    private void localTree(List<Descriptor> layers, Path destination, Platform platform) throws IOException {
        flatten(layers, destination);
        Optional<String> fileName = attestations.flatMap(ProvenanceAttestations::fileName);
        if (fileName.isEmpty()) {
            return;
        }
        try (BuildScratch scratch = store.newBuildScratch()) {
            Path tree = Files.createDirectories(scratch.path().resolve("attested"));
            flatten(layers, tree);
            attestFiles(tree, platform);
            Path statement = destination.resolve(fileName.get());
            DirectoryTrees.delete(statement);
            DirectoryTrees.copy(tree.resolve(fileName.get()), statement);
        }
    }

    /** Writes the build's provenance statement about the file tree {@code tree} into it, when file trees carry one. */
    private void attestFiles(Path tree, Platform platform) throws IOException {
        Optional<String> fileName = attestations.flatMap(ProvenanceAttestations::fileName);
        if (fileName.isPresent()) {
            progress.onEvent(new BuildEvent.Message("writing provenance attestation " + fileName.get() + " for "
                    + platform.format()));
            attestations.get().writeInto(tree, platform);
        }
    }

    /**
     * Applies the layer blobs to {@code tree}, bottom first; returns the owners they name that this
     * process could not give (without the right to chown), by path, for the tar writer.
     */
    private Map<String, FileOwner> flatten(List<Descriptor> layers, Path tree) throws IOException {
        Map<String, FileOwner> owners = new HashMap<>();
        for (Descriptor layer : layers) {
            try (InputStream blob = store.open(layer)) {
                owners.putAll(LayerApplier.apply(blob, tree, ApplyMode.FLATTEN).unappliedOwners());
            }
        }
        return owners;
    }

    /** Writes {@code tree} as one uncompressed tar, as a layer is written (sorted, numeric owners). */
    private static void writeTree(Path tree, Map<String, FileOwner> owners, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            LayerWriter.writeDirectory(tree, out, LayerWriteOptions.DEFAULTS.withCompression(MediaType.Compression.NONE),
                    owners);
        }
    }

    /**
     * Runs {@code writer} on a file that appears at {@code destination} only once complete; for
     * {@link Output#STANDARD_OUTPUT}, on a scratch file then copied to standard output.
     */
    private void writeFile(Path destination, FileWriter writer) throws IOException {
        if (destination.equals(Output.STANDARD_OUTPUT)) {
            try (BuildScratch scratch = store.newBuildScratch()) {
                Path file = scratch.path().resolve("output.tar");
                writer.write(file);
                Files.copy(file, System.out);
                System.out.flush();
            }
            return;
        }
        Path partial = destination.resolveSibling(destination.getFileName() + ".partial");
        try {
            writer.write(partial);
            Files.move(partial, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static String name(Path destination) {
        return destination.equals(Output.STANDARD_OUTPUT) ? "standard output" : destination.toString();
    }

    /** Writes one output file. */
    @FunctionalInterface
    private interface FileWriter {
        void write(Path file) throws IOException;
    }
}

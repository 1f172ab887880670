package dev.jbuild.store;

import dev.jbuild.oci.ContentSink;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Reference;
import dev.jbuild.oci.VerifyingInputStream;
import dev.jbuild.store.internal.archive.DockerArchiveManifest;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a docker-archive tarball that {@code docker load} and {@code skopeo copy docker-archive:}
 * read. Blobs go in as {@code blobs/sha256/<hex>} exactly as received, and the archive also holds
 * {@code oci-layout} and {@code index.json}, so it is an OCI layout tarball as well (as Docker 25+
 * writes them). The file appears at its path only when {@link #close()} completes; a failed or
 * abandoned write leaves nothing behind. A tar is one sequential stream, so concurrent writers
 * (a copy moves blobs on several threads) take turns.
 */
public final class DockerArchiveSink implements ContentSink, Closeable {
    private final Path target;
    private final Path temporary;
    private final OutputStream file;
    private final TarArchiveOutputStream tar;
    private final Set<Digest> written = new HashSet<>();
    private final Map<Digest, byte[]> manifests = new HashMap<>();
    private final Map<Digest, Descriptor> manifestDescriptors = new HashMap<>();
    private final Map<Digest, List<String>> tagsByManifest = new LinkedHashMap<>();
    private boolean failed;
    private boolean closed;

    private DockerArchiveSink(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path parent = this.target.getParent();
        Files.createDirectories(parent);
        this.temporary = Files.createTempFile(parent, "." + this.target.getFileName(), ".partial");
        this.file = Files.newOutputStream(temporary, StandardOpenOption.TRUNCATE_EXISTING);
        this.tar = new TarArchiveOutputStream(file, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** Starts a new archive that will replace {@code tarball} when closed. */
    public static DockerArchiveSink create(Path tarball) throws IOException {
        return new DockerArchiveSink(tarball);
    }

    @Override
    public synchronized boolean contains(Descriptor descriptor) {
        return written.contains(descriptor.digest());
    }

    @Override
    public synchronized void write(Descriptor descriptor, InputStream content) throws IOException {
        if (written.contains(descriptor.digest())) {
            content.transferTo(OutputStream.nullOutputStream());
            return;
        }
        boolean small = MediaType.isManifest(descriptor.mediaType()) || MediaType.isIndex(descriptor.mediaType());
        try {
            if (small) {
                byte[] bytes = new VerifyingInputStream(content, descriptor.digest(), descriptor.size()).readAllBytes();
                manifests.put(descriptor.digest(), bytes);
                manifestDescriptors.put(descriptor.digest(), descriptor);
                writeEntry(descriptor.digest().layoutPath(), new ByteArrayInputStream(bytes), bytes.length);
            } else {
                writeEntry(descriptor.digest().layoutPath(),
                        new VerifyingInputStream(content, descriptor.digest(), descriptor.size()), descriptor.size());
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
        written.add(descriptor.digest());
    }

    /** Records {@code tag} (a reference such as {@code app:1.0}) for the image manifest {@code descriptor}. */
    @Override
    public synchronized void tag(String tag, Descriptor descriptor) throws IOException {
        if (MediaType.isIndex(descriptor.mediaType())) {
            throw new IOException("a docker-archive holds single-platform images, but " + tag
                    + " is a multi-platform index: choose one platform");
        }
        if (!manifests.containsKey(descriptor.digest())) {
            throw new IOException("cannot tag " + tag + ": manifest " + descriptor.digest() + " was not written");
        }
        String repoTag;
        try {
            repoTag = Reference.parse(tag).familiar();
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid tag for a docker-archive: " + e.getMessage(), e);
        }
        tagsByManifest.computeIfAbsent(descriptor.digest(), d -> new ArrayList<>()).add(repoTag);
    }

    /** Writes manifest.json and index.json, and moves the finished archive into place. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failed) {
                file.close();
                return;
            }
            finish();
            tar.close();
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void finish() throws IOException {
        List<DockerArchiveManifest.Entry> entries = new ArrayList<>();
        List<Descriptor> indexEntries = new ArrayList<>();
        for (var tagged : tagsByManifest.entrySet()) {
            Manifest manifest = Manifest.parse(manifests.get(tagged.getKey()));
            List<String> layers = manifest.layers().stream().map(l -> l.digest().layoutPath()).toList();
            for (Descriptor blob : manifest.layers()) {
                requireWritten(blob);
            }
            requireWritten(manifest.config());
            entries.add(new DockerArchiveManifest.Entry(manifest.config().digest().layoutPath(), tagged.getValue(),
                    layers));
            Descriptor descriptor = manifestDescriptors.get(tagged.getKey());
            for (String repoTag : tagged.getValue()) {
                indexEntries.add(descriptor.withAnnotations(Map.of(
                        "io.containerd.image.name", Reference.parse(repoTag).toString(),
                        Descriptor.REF_NAME_ANNOTATION, Reference.parse(repoTag).tag())));
            }
        }
        if (entries.isEmpty()) {
            throw new IOException("nothing was tagged: a docker-archive needs at least one tagged image");
        }
        byte[] manifestJson = DockerArchiveManifest.write(entries);
        writeEntry("manifest.json", new ByteArrayInputStream(manifestJson), manifestJson.length);
        byte[] layout = Json.write(Map.of("imageLayoutVersion", "1.0.0"));
        writeEntry("oci-layout", new ByteArrayInputStream(layout), layout.length);
        byte[] index = Index.of(false, indexEntries).toJson();
        writeEntry("index.json", new ByteArrayInputStream(index), index.length);
    }

    private void requireWritten(Descriptor blob) throws IOException {
        if (!written.contains(blob.digest())) {
            throw new IOException("the archive lacks blob " + blob.digest() + " that a tagged image needs");
        }
    }

    private void writeEntry(String name, InputStream content, long size) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(0644);
        entry.setModTime(0);
        tar.putArchiveEntry(entry);
        long copied = content.transferTo(tar);
        if (copied != size) {
            failed = true;
            throw new IOException("blob " + name + " was " + copied + " bytes, expected " + size);
        }
        tar.closeArchiveEntry();
    }
}

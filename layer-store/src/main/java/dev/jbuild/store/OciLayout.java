package dev.jbuild.store;

import dev.jbuild.oci.ContentSink;
import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.store.internal.BlobStore;
import dev.jbuild.store.internal.Ingest;
import dev.jbuild.store.internal.IndexFile;
import dev.jbuild.store.internal.MediaTypeSniffer;
import dev.jbuild.store.internal.PlatformSelector;
import dev.jbuild.store.internal.SourceImageIndex;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/<alg>/<hex>}),
 * as skopeo, umoci and {@code oci:DIR[:TAG]} transports use. Tags are index entries annotated
 * {@code org.opencontainers.image.ref.name}. Blobs are written through {@code ingest/} and appear only
 * verified and durable; {@code index.json} is replaced atomically under a lock in {@code locks/}.
 */
public final class OciLayout implements ContentSource, ContentSink {
    /** The image-spec's grammar for {@code org.opencontainers.image.ref.name}. */
    private static final Pattern REF_NAME = Pattern.compile(
            "[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*");

    private final Path root;
    private final BlobStore blobs;
    private final IndexFile index;

    private OciLayout(Path root) {
        this.root = root;
        this.blobs = new BlobStore(root);
        this.index = new IndexFile(root);
    }

    /** Opens an existing layout, failing clearly when {@code directory} is not one. */
    public static OciLayout open(Path directory) throws IOException {
        OciLayout layout = new OciLayout(directory);
        if (!layout.index.exists()) {
            throw new StoreException(directory + " is not an OCI image layout (it has no oci-layout file)");
        }
        return layout;
    }

    /** Opens a layout, creating the directory, {@code oci-layout} and an empty {@code index.json} when missing. */
    public static OciLayout create(Path directory) throws IOException {
        OciLayout layout = new OciLayout(directory);
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new StoreException(directory + " is not a directory");
        }
        layout.index.initialize();
        return layout;
    }

    public Path root() {
        return root;
    }

    // ---- blobs

    /** True when the blob is present (its bytes are checked when read, and by fsck). */
    public boolean hasBlob(Digest digest) {
        return blobs.has(digest);
    }

    /** The size of a present blob. */
    public long blobSize(Digest digest) throws IOException {
        return blobs.size(digest);
    }

    /** Reads a blob by digest alone; the stream fails at its end if the bytes do not match the digest. */
    public InputStream openBlob(Digest digest) throws IOException {
        return blobs.open(digest, -1);
    }

    /** Reads a blob; fails at once when its size differs from the descriptor, and at the end on a digest mismatch. */
    @Override
    public InputStream open(Descriptor descriptor) throws IOException {
        return blobs.open(descriptor.digest(), descriptor.size());
    }

    @Override
    public boolean contains(Descriptor descriptor) throws IOException {
        return blobs.has(descriptor.digest()) && blobs.size(descriptor.digest()) == descriptor.size();
    }

    /** Writes a blob whose digest and size are known in advance; on a mismatch nothing is published. */
    @Override
    public void write(Descriptor descriptor, InputStream content) throws IOException {
        try (Ingest ingest = blobs.begin(descriptor, descriptor.digest().algorithm())) {
            content.transferTo(ingest);
            ingest.commit();
        }
    }

    /** Writes a blob whose sha256 digest is computed while it streams; returns its descriptor. */
    public Descriptor writeBlob(String mediaType, InputStream content) throws IOException {
        try (BlobWriter writer = newBlob()) {
            content.transferTo(writer);
            return writer.commit(mediaType);
        }
    }

    /** Writes a small blob (a manifest, index or config) held in memory; returns its descriptor. */
    public Descriptor writeBlob(String mediaType, byte[] content) throws IOException {
        return writeBlob(mediaType, new ByteArrayInputStream(content));
    }

    /** Starts a blob whose bytes are produced by the caller; its sha256 digest is computed as they are written. */
    public BlobWriter newBlob() throws IOException {
        return new BlobWriter(blobs.begin(null, Digest.SHA256));
    }

    // ---- tags

    /**
     * The descriptor a tag (an exact {@code ref.name}) or a digest names. An empty string means
     * the only entry of the index, as {@code oci:DIR} without a tag does.
     */
    @Override
    public Descriptor resolve(String tagOrDigest) throws IOException {
        if (tagOrDigest.isEmpty()) {
            List<Descriptor> entries = index.read().manifests();
            if (entries.size() != 1) {
                throw new StoreException("OCI layout " + root + " holds " + entries.size()
                        + " images: name one with :TAG");
            }
            return withoutRefName(entries.getFirst());
        }
        if (Digest.isDigest(tagOrDigest)) {
            return byDigest(Digest.parse(tagOrDigest));
        }
        return find(tagOrDigest).orElseThrow(() -> new StoreException(
                "no image tagged \"" + tagOrDigest + "\" in OCI layout " + root));
    }

    /** The descriptor tagged {@code tag}, if any (without its {@code ref.name} annotation). */
    public Optional<Descriptor> find(String tag) throws IOException {
        for (Descriptor entry : index.read().manifests()) {
            if (entry.refName().equals(tag)) {
                return Optional.of(withoutRefName(entry));
            }
        }
        return Optional.empty();
    }

    /** Points {@code tag} at a manifest or index already in the layout, replacing what it pointed at. */
    @Override
    public void tag(String tag, Descriptor descriptor) throws IOException {
        if (!REF_NAME.matcher(tag).matches()) {
            throw new StoreException("invalid tag \"" + tag + "\": an OCI layout ref.name is components of"
                    + " [A-Za-z0-9] joined by one of -._:@+ or --, separated by /");
        }
        if (!MediaType.isManifest(descriptor.mediaType()) && !MediaType.isIndex(descriptor.mediaType())) {
            throw new StoreException("cannot tag " + descriptor.digest() + " as \"" + tag
                    + "\": media type " + descriptor.mediaType() + " is not a manifest or index");
        }
        Map<String, String> annotations = new LinkedHashMap<>(descriptor.annotations());
        annotations.put(Descriptor.REF_NAME_ANNOTATION, tag);
        Descriptor entry = descriptor.withAnnotations(annotations);
        index.update(current -> {
            if (!contains(descriptor)) {
                throw new StoreException("cannot tag \"" + tag + "\": " + descriptor.digest()
                        + " (" + descriptor.size() + " bytes) is not in OCI layout " + root);
            }
            List<Descriptor> entries = new ArrayList<>();
            boolean replaced = false;
            for (Descriptor existing : current.manifests()) {
                if (!existing.refName().equals(tag)) {
                    entries.add(existing);
                } else if (!replaced) {
                    entries.add(entry);
                    replaced = true;
                }
            }
            if (!replaced) {
                entries.add(entry);
            }
            return current.withManifests(entries);
        });
    }

    /** Removes a tag; returns whether it existed. The content stays until pruned. */
    public boolean untag(String tag) throws IOException {
        boolean[] found = {false};
        index.update(current -> {
            List<Descriptor> entries = new ArrayList<>();
            for (Descriptor existing : current.manifests()) {
                if (existing.refName().equals(tag)) {
                    found[0] = true;
                } else {
                    entries.add(existing);
                }
            }
            return current.withManifests(entries);
        });
        return found[0];
    }

    /** Every tag and what it names, in index order (descriptors without their {@code ref.name}). */
    public Map<String, Descriptor> tags() throws IOException {
        Map<String, Descriptor> tags = new LinkedHashMap<>();
        for (Descriptor entry : index.read().manifests()) {
            if (!entry.refName().isEmpty()) {
                tags.putIfAbsent(entry.refName(), withoutRefName(entry));
            }
        }
        return tags;
    }

    /** Every entry of {@code index.json}, tagged or not: the roots that keep content alive. */
    public List<Descriptor> roots() throws IOException {
        return index.read().manifests();
    }

    // ---- images

    /** The image a tag or digest names, for this machine's platform when it names an index. */
    public Image image(String tagOrDigest) throws IOException {
        return image(tagOrDigest, Platform.current());
    }

    /** The image a tag or digest names; for an index, the one for {@code platform}. */
    public Image image(String tagOrDigest, Platform platform) throws IOException {
        return PlatformSelector.select(this, resolve(tagOrDigest), platform, "\"" + tagOrDigest + "\"");
    }

    /** The index a tag or digest names, failing clearly when it names a single image. */
    public ImageIndex index(String tagOrDigest) throws IOException {
        Descriptor descriptor = resolve(tagOrDigest);
        if (!MediaType.isIndex(descriptor.mediaType())) {
            throw new StoreException("\"" + tagOrDigest + "\" is not an image index: it has media type "
                    + descriptor.mediaType());
        }
        return new SourceImageIndex(this, descriptor);
    }

    Descriptor byDigest(Digest digest) throws IOException {
        for (Descriptor entry : index.read().manifests()) {
            if (entry.digest().equals(digest)) {
                return withoutRefName(entry);
            }
        }
        long size = blobs.size(digest);
        if (size > MediaTypeSniffer.MAX_DOCUMENT_SIZE) {
            throw new StoreException(digest + " in " + root + " is not a manifest or index (" + size + " bytes)");
        }
        byte[] content;
        try (InputStream in = blobs.open(digest, size)) {
            content = in.readAllBytes();
        }
        String mediaType = MediaTypeSniffer.mediaTypeOf(content);
        if (mediaType.isEmpty()) {
            throw new StoreException(digest + " in " + root + " is not a manifest or index");
        }
        return new Descriptor(mediaType, digest, size);
    }

    IndexFile indexFile() {
        return index;
    }

    BlobStore blobStore() {
        return blobs;
    }

    private static Descriptor withoutRefName(Descriptor entry) {
        if (entry.refName().isEmpty()) {
            return entry;
        }
        Map<String, String> annotations = new LinkedHashMap<>(entry.annotations());
        annotations.remove(Descriptor.REF_NAME_ANNOTATION);
        return entry.withAnnotations(annotations);
    }
}

package dev.jbuild.store;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.ContentSink;
import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.Layer;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.store.internal.BuildScratches;
import dev.jbuild.store.internal.CacheRecords;
import dev.jbuild.store.internal.ChainIds;
import dev.jbuild.store.internal.Checker;
import dev.jbuild.store.internal.Collector;
import dev.jbuild.store.internal.LayerCache;
import dev.jbuild.store.internal.LayerCompressor;
import dev.jbuild.store.internal.LayerUnpacker;
import dev.jbuild.store.internal.PlatformSelector;
import dev.jbuild.store.internal.SourceImageIndex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The local image store: an OCI image layout (so skopeo and umoci read it) whose tags are full
 * references such as {@code docker.io/library/busybox:latest}, plus unpacked layers under
 * {@code layers/<chainID>/diff}, build-cache records under {@code cache/}, the gzip blobs of
 * uncompressed layers under {@code compressed/}, remembered digests of context files under
 * {@code file-digests/}, the sources of files build steps copied into unpacked layers under
 * {@code copied-files/} and lock files under {@code locks/}. Every write is
 * verified, durable and atomic, and safe against other threads and other processes using the same
 * directory.
 */
public final class Store implements ContentSource, ContentSink, ContentCopy.UnverifiedSource {
    /** How long prune leaves unreferenced content alone, so a pull that has not tagged yet keeps its blobs. */
    public static final Duration DEFAULT_PRUNE_GRACE = Duration.ofMinutes(10);

    private static final String FILE_DIGESTS = "file-digests";
    private static final String COPIED_FILES = "copied-files";

    private final Path root;
    private final OciLayout layout;
    private final CacheRecords cache;
    private final CacheRecords compressed;
    private final LayerCache layers;

    private Store(Path root, OciLayout layout) {
        this.root = root;
        this.layout = layout;
        this.cache = new CacheRecords(root.resolve("cache"));
        this.compressed = new CacheRecords(root.resolve("compressed"));
        this.layers = new LayerCache(root);
    }

    /** Opens the store at {@code root}, creating it (an empty OCI layout) when missing. */
    public static Store open(Path root) throws IOException {
        return new Store(root, OciLayout.create(root));
    }

    public Path root() {
        return root;
    }

    // ---- blobs

    public boolean hasBlob(Digest digest) {
        return layout.hasBlob(digest);
    }

    public long blobSize(Digest digest) throws IOException {
        return layout.blobSize(digest);
    }

    /** Reads a blob by digest; the stream fails at its end when the bytes do not match. */
    public InputStream openBlob(Digest digest) throws IOException {
        return layout.openBlob(digest);
    }

    /** Reads a blob; fails at once on a size mismatch, at the end of the stream on a digest mismatch. */
    @Override
    public InputStream open(Descriptor descriptor) throws IOException {
        return layout.open(descriptor);
    }

    /** Reads a blob without hashing it, for a copy into a sink that verifies it; see {@link OciLayout#openUnverified}. */
    @Override
    public InputStream openUnverified(Descriptor descriptor) throws IOException {
        return layout.openUnverified(descriptor);
    }

    /**
     * True when the blob is present with the descriptor's size. A hit refreshes the blob's time,
     * so a writer that skips it (and tags later) does not lose it to a concurrent prune.
     */
    @Override
    public boolean contains(Descriptor descriptor) throws IOException {
        if (!layout.contains(descriptor)) {
            return false;
        }
        try {
            Files.setLastModifiedTime(root.resolve(descriptor.digest().layoutPath()), FileTime.from(Instant.now()));
            return true;
        } catch (NoSuchFileException prunedMeanwhile) {
            return false;
        }
    }

    /** Writes a blob with a known digest and size, verifying both; nothing is published on a mismatch. */
    @Override
    public void write(Descriptor descriptor, InputStream content) throws IOException {
        layout.write(descriptor, content);
    }

    /** Writes a blob whose sha256 digest is computed while it streams. */
    public Descriptor writeBlob(String mediaType, InputStream content) throws IOException {
        return layout.writeBlob(mediaType, content);
    }

    /** Writes a small in-memory blob (manifest, index, config) under its sha256 digest. */
    public Descriptor writeBlob(String mediaType, byte[] content) throws IOException {
        return layout.writeBlob(mediaType, content);
    }

    /** Starts a blob the caller streams into (a layer being compressed); its digest is computed on the way. */
    public BlobWriter newBlob() throws IOException {
        return layout.newBlob();
    }

    // ---- tags

    /**
     * The manifest or index a reference names: a tag ({@code busybox}, {@code busybox:1.36},
     * {@code localhost:5000/app:1}, normalised as Docker does), a digest reference
     * ({@code busybox@sha256:…}), a bare digest, or an exact {@code ref.name} another tool wrote.
     */
    @Override
    public Descriptor resolve(String reference) throws IOException {
        if (Digest.isDigest(reference)) {
            return layout.byDigest(Digest.parse(reference));
        }
        Optional<Descriptor> exact = layout.find(reference);
        if (exact.isPresent()) {
            return exact.get();
        }
        Reference parsed = parse(reference);
        if (parsed.digest() != null) {
            return layout.byDigest(parsed.digest());
        }
        return layout.find(parsed.toString()).orElseThrow(() -> new StoreException(
                "no image " + parsed.familiar() + " in the store at " + root + " (jbuild images lists them)"));
    }

    /** Tags a manifest or index in the store; {@code reference} is normalised and any digest in it dropped. */
    @Override
    public void tag(String reference, Descriptor descriptor) throws IOException {
        tag(parse(reference), descriptor);
    }

    /** Points a reference's tag at a manifest or index in the store. */
    public void tag(Reference reference, Descriptor descriptor) throws IOException {
        layout.tag(tagName(reference), descriptor);
    }

    /** Removes a tag; true when it existed. Content stays until {@link #prune()}. */
    public boolean untag(Reference reference) throws IOException {
        return layout.untag(tagName(reference));
    }

    /** Every tag in the store by its reference, sorted by name; entries other tools wrote under other names are left out. */
    public Map<Reference, Descriptor> tags() throws IOException {
        Map<String, Descriptor> sorted = new TreeMap<>();
        for (Map.Entry<String, Descriptor> entry : layout.tags().entrySet()) {
            try {
                if (Reference.parse(entry.getKey()).toString().equals(entry.getKey())) {
                    sorted.put(entry.getKey(), entry.getValue());
                }
            } catch (IllegalArgumentException notOurs) {
                continue;
            }
        }
        Map<Reference, Descriptor> tags = new LinkedHashMap<>();
        sorted.forEach((name, descriptor) -> tags.put(Reference.parse(name), descriptor));
        return tags;
    }

    /** The {@code ref.name} a reference is stored under: the full normalised form, {@code registry/repository:tag}. */
    public static String tagName(Reference reference) throws StoreException {
        if (reference.tag().isEmpty()) {
            throw new StoreException("cannot tag with " + reference + ": a tag needs a name, not only a digest");
        }
        return reference.withTag(reference.tag()).toString();
    }

    // ---- images

    /** The image a reference names, for this machine's platform when it names an index. */
    public Image image(String reference) throws IOException {
        return image(reference, Platform.current());
    }

    /** The image a reference names; for an index, the one for {@code platform}. */
    public Image image(String reference, Platform platform) throws IOException {
        return PlatformSelector.select(this, resolve(reference), platform, reference);
    }

    /** The index a reference names, failing clearly when it names a single image. */
    public ImageIndex index(String reference) throws IOException {
        Descriptor descriptor = resolve(reference);
        if (!MediaType.isIndex(descriptor.mediaType())) {
            throw new StoreException(reference + " is not an image index: it has media type " + descriptor.mediaType());
        }
        return new SourceImageIndex(this, descriptor);
    }

    // ---- unpacked layers

    /**
     * The unpacked {@code layers/<chainID>/diff} directory of layer {@code index} (bottom = 0) of
     * an image, for use as an overlay lowerdir; unpacked and cached on first use (whiteouts stay
     * overlay whiteouts). Its blob digest and diffID are both verified during the unpack.
     */
    public Path unpackedLayer(Image image, int index) throws IOException {
        List<Layer> imageLayers = image.layers();
        if (index < 0 || index >= imageLayers.size()) {
            throw new StoreException("image " + image.digest() + " has " + imageLayers.size()
                    + " layers, so there is no layer " + index);
        }
        return layers.unpacked(imageLayers.get(index), chainIdsOf(imageLayers).get(index), Store::applyLayer);
    }

    /** The unpacked {@code diff} directories of all of an image's layers, bottom first. */
    public List<Path> unpackedLayers(Image image) throws IOException {
        return unpackedLayers(image.layers());
    }

    /**
     * The unpacked {@code diff} directories of a stack of layers (bottom first) whose blobs are in
     * this store, as for an image's layers: for images still being built.
     */
    public List<Path> unpackedLayers(List<? extends Layer> stack) throws IOException {
        List<Layer> stackLayers = List.copyOf(stack);
        List<Digest> chainIds = chainIdsOf(stackLayers);
        List<Path> paths = new ArrayList<>(stackLayers.size());
        for (int i = 0; i < stackLayers.size(); i++) {
            paths.add(layers.unpacked(stackLayers.get(i), chainIds.get(i), Store::applyLayer));
        }
        return List.copyOf(paths);
    }

    /**
     * Publishes {@code content}, which holds exactly the top layer of a stack in overlay form (a
     * build step's upperdir or staging directory, on this store's file system), as that layer's
     * unpacked directory, so nothing has to unpack what a step just wrote. {@code content} is moved.
     *
     * @param stackDiffIds the diffIDs of the stack, bottom first, ending with the adopted layer's
     */
    public Path adoptUnpackedLayer(List<Digest> stackDiffIds, Path content) throws IOException {
        if (stackDiffIds.isEmpty()) {
            throw new IllegalArgumentException("an adopted layer needs its stack's diffIDs");
        }
        return layers.adopt(ChainIds.of(stackDiffIds).getLast(), stackDiffIds.getLast(), content);
    }

    private static List<Digest> chainIdsOf(List<Layer> imageLayers) {
        return ChainIds.of(imageLayers.stream().map(Layer::diffId).toList());
    }

    private static LayerUnpacker.Unpacked applyLayer(InputStream blob, Path target) throws IOException {
        ApplyResult result = LayerApplier.apply(blob, target, ApplyMode.OVERLAY_LOWER);
        return new LayerUnpacker.Unpacked(result.diffId(), result.warnings());
    }

    // ---- build cache

    /** Records that a build step with {@code key} produced the image {@code result} (a manifest in the store). */
    public void putCacheRecord(String key, Descriptor result) throws IOException {
        if (!layout.contains(result)) {
            throw new StoreException("cannot record cache key: " + result.digest() + " is not in the store");
        }
        cache.put(key, result);
    }

    /** The image a build step with {@code key} produced earlier, if recorded. */
    public Optional<Descriptor> cacheRecord(String key) throws IOException {
        return cache.get(key);
    }

    /** Forgets a cache record; true when it existed. */
    public boolean removeCacheRecord(String key) throws IOException {
        return cache.remove(key);
    }

    // ---- export

    /**
     * The image or index {@code root} as it should leave the machine: every uncompressed layer
     * replaced by its gzip blob, compressed on the first export and reused after; {@code root}
     * itself when it has no uncompressed layer. Builds write their layers uncompressed, because
     * nothing on this machine reads them compressed.
     */
    public Descriptor withCompressedLayers(Descriptor root) throws IOException {
        return withCompressedLayers(root, layer -> { });
    }

    /**
     * {@link #withCompressedLayers(Descriptor)}, telling {@code compressing} about each layer (its
     * uncompressed descriptor) before it is compressed, since a large one takes seconds.
     */
    public Descriptor withCompressedLayers(Descriptor root, Consumer<Descriptor> compressing) throws IOException {
        return new LayerCompressor(this, compressed, compressing).compressed(root);
    }

    // ---- maintenance

    /** Verifies every blob, reference and unpacked layer; damaged blobs and layers are taken out of service. */
    public FsckReport fsck() throws IOException {
        return new Checker(layout.blobStore(), layout.indexFile(), cache, layers).check();
    }

    /** A new scratch directory for one build under {@code builds/}; prune keeps it until it is closed. */
    public BuildScratch newBuildScratch() throws IOException {
        return new BuildScratch(new BuildScratches(root).create());
    }

    /** Removes what no tag or cache record reaches, leaving content younger than {@link #DEFAULT_PRUNE_GRACE}. */
    public PruneReport prune() throws IOException {
        return prune(DEFAULT_PRUNE_GRACE);
    }

    /** Removes what no tag or cache record reaches and is older than {@code grace}, and leftovers of dead writers. */
    public PruneReport prune(Duration grace) throws IOException {
        PruneReport report = new Collector(root, layout.blobStore(), layout.indexFile(), cache, compressed, layers)
                .collect(grace);
        FileTime cutoff = FileTime.from(Instant.now().minus(grace));
        long forgotten = FileDigests.removeForgotten(root.resolve(FILE_DIGESTS), cutoff)
                + CopiedFiles.removeForgotten(root.resolve(COPIED_FILES), this::unpacked, cutoff);
        return new PruneReport(report.blobsRemoved(), report.bytesFreed(), report.layersRemoved(),
                report.leftoversRemoved() + forgotten);
    }

    // ---- file digests

    /**
     * The content digests of files below {@code directory} (a build context) that earlier builds
     * remembered; {@code reuse} false reads every file again (and remembers what it finds).
     */
    public FileDigests fileDigests(Path directory, boolean reuse) {
        Path normalized = directory.toAbsolutePath().normalize();
        String name = Digest.sha256(normalized.toString().getBytes(StandardCharsets.UTF_8)).encoded();
        return FileDigests.open(normalized, root.resolve(FILE_DIGESTS).resolve(name), reuse);
    }

    // ---- copied files

    /**
     * What the build step named {@code step} (its parent and instruction) last copied from host
     * directories into a layer that is still unpacked; empty when nothing is known.
     */
    public Optional<CopiedFiles> copiedFiles(String step) {
        return CopiedFiles.read(copiedFilesRecord(step), this::completedLayer);
    }

    /**
     * Remembers that the build step named {@code step} copied files from the sources with these
     * identities (by path in the layer) into the unpacked top layer of the stack {@code stackDiffIds}
     * (bottom first); sources that changed less than {@link FileDigests#SETTLED} ago are left out.
     */
    public void rememberCopiedFiles(String step, List<Digest> stackDiffIds, Map<String, FileDigests.Identity> sources)
            throws IOException {
        CopiedFiles.write(copiedFilesRecord(step), ChainIds.of(stackDiffIds).getLast(), sources,
                FileTime.from(Instant.now().minus(FileDigests.SETTLED)));
    }

    /** The record of the build step named {@code step}. */
    Path copiedFilesRecord(String step) {
        return root.resolve(COPIED_FILES).resolve(Digest.sha256(step.getBytes(StandardCharsets.UTF_8)).encoded());
    }

    private boolean unpacked(Digest chainId) {
        return completedLayer(chainId).isPresent();
    }

    private Optional<Path> completedLayer(Digest chainId) {
        try {
            return layers.completed(chainId);
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }

    private static Reference parse(String reference) throws StoreException {
        try {
            return Reference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }
}

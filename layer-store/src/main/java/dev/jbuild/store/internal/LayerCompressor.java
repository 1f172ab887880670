package dev.jbuild.store.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.store.BlobWriter;
import dev.jbuild.store.LayerBlob;
import dev.jbuild.store.LayerWriteOptions;
import dev.jbuild.store.LayerWriter;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Rewrites an image or index of the store with gzip layers where it has uncompressed ones, for
 * export. Each layer is compressed once (gzip level 6, deterministic, so every export of the same
 * layer gives the same digest) and remembered in a record keyed by the uncompressed digest. The
 * records are not roots: prune removes a gzip blob no tag reaches, and the next export that needs
 * it compresses the layer again.
 */
public final class LayerCompressor {
    private final Store store;
    private final CacheRecords records;
    private final Consumer<Descriptor> compressing;

    public LayerCompressor(Store store, CacheRecords records, Consumer<Descriptor> compressing) {
        this.store = store;
        this.records = records;
        this.compressing = compressing;
    }

    /** {@code root} with every uncompressed layer below it compressed, or {@code root} itself when none is. */
    public Descriptor compressed(Descriptor root) throws IOException {
        if (MediaType.isIndex(root.mediaType())) {
            return compressedIndex(root);
        }
        if (MediaType.isManifest(root.mediaType())) {
            return compressedManifest(root);
        }
        return root;
    }

    private Descriptor compressedIndex(Descriptor root) throws IOException {
        Index index = Index.parse(read(root));
        List<Descriptor> children = new ArrayList<>();
        for (Descriptor child : index.manifests()) {
            children.add(compressed(child));
        }
        if (children.equals(index.manifests())) {
            return root;
        }
        return rewritten(root, index.withManifests(children).toJson());
    }

    private Descriptor compressedManifest(Descriptor root) throws IOException {
        Manifest manifest = Manifest.parse(read(root));
        boolean docker = MediaType.DOCKER_MANIFEST.equals(root.mediaType());
        List<Descriptor> layers = new ArrayList<>();
        for (Descriptor layer : manifest.layers()) {
            layers.add(isUncompressedLayer(layer) ? gzip(layer, docker) : layer);
        }
        if (layers.equals(manifest.layers())) {
            return root;
        }
        Manifest compressed = new Manifest(manifest.schemaVersion(), manifest.mediaType(), manifest.artifactType(),
                manifest.config(), layers, manifest.subject(), manifest.annotations(), manifest.unknownFields());
        return rewritten(root, compressed.toJson());
    }

    private static boolean isUncompressedLayer(Descriptor layer) {
        return MediaType.isLayer(layer.mediaType()) && !MediaType.isNondistributable(layer.mediaType())
                && MediaType.compressionOf(layer.mediaType()) == MediaType.Compression.NONE;
    }

    /** The gzip blob of an uncompressed layer, with the layer's own annotations, in the manifest's family. */
    private Descriptor gzip(Descriptor layer, boolean docker) throws IOException {
        String key = "gzip " + layer.digest();
        Optional<Descriptor> known = records.get(key);
        Descriptor blob;
        if (known.isPresent() && store.contains(known.get())) {
            blob = known.get();
        } else {
            compressing.accept(layer);
            try (InputStream tar = store.open(layer); BlobWriter writer = store.newBlob()) {
                LayerBlob written = LayerWriter.compress(tar, writer, LayerWriteOptions.DEFAULTS);
                if (!written.diffId().equals(layer.digest())) {
                    throw new StoreException("layer " + layer.digest() + " read back as " + written.diffId());
                }
                blob = writer.commit(written.mediaType());
            }
            records.put(key, blob);
        }
        return new Descriptor(MediaType.layerType(MediaType.Compression.GZIP, docker), blob.digest(), blob.size(),
                layer.urls(), layer.annotations(), layer.platform(), layer.artifactType(), layer.unknownFields());
    }

    private byte[] read(Descriptor descriptor) throws IOException {
        try (InputStream in = store.open(descriptor)) {
            return in.readAllBytes();
        }
    }

    /** The descriptor of {@code json} written as a blob, with everything else {@code original} says about it. */
    private Descriptor rewritten(Descriptor original, byte[] json) throws IOException {
        Descriptor written = store.writeBlob(original.mediaType(), json);
        return new Descriptor(original.mediaType(), written.digest(), written.size(), original.urls(),
                original.annotations(), original.platform(), original.artifactType(), original.unknownFields());
    }
}

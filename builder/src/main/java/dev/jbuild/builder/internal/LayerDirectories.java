package dev.jbuild.builder.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Layer;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The build's view of the store's unpacked layers: the stack of an image being built as overlay
 * lowerdirs, and a step's own staging directory or upperdir adopted as its layer's directory so
 * the next step does not unpack what this one just wrote.
 */
public final class LayerDirectories {
    private final Store store;

    public LayerDirectories(Store store) {
        this.store = store;
    }

    /** The directories of {@code layers}, top layer first, unpacking what is not yet unpacked. */
    public List<Path> topFirst(List<ImageState.LayerRef> layers) throws IOException {
        List<StoredLayer> stack = layers.stream().map(ref -> new StoredLayer(store, ref)).toList();
        return List.copyOf(store.unpackedLayers(stack).reversed());
    }

    /** The merged view of {@code layers}. */
    public LayeredTree tree(List<ImageState.LayerRef> layers) throws IOException {
        return new LayeredTree(topFirst(layers));
    }

    /**
     * Takes {@code content}, which holds exactly the top layer of {@code layers} in overlay form (a
     * step's staging directory or upperdir, on the store's file system), as that layer's directory.
     */
    public void adopt(List<ImageState.LayerRef> layers, Path content) throws IOException {
        if (!layers.isEmpty()) {
            store.adoptUnpackedLayer(layers.stream().map(ImageState.LayerRef::diffId).toList(), content);
        }
    }

    /** A layer whose blob is in the store. */
    private record StoredLayer(Store store, ImageState.LayerRef ref) implements Layer {
        @Override
        public Descriptor descriptor() {
            return ref.blob();
        }

        @Override
        public Digest diffId() {
            return ref.diffId();
        }

        @Override
        public InputStream compressed() throws IOException {
            return store.open(ref.blob());
        }
    }
}

package dev.jbuild.builder.internal;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.History;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Layer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An image while it is being built: its config and its layers (blobs in the store with their
 * diffIDs). Each step turns one state into the next.
 */
public record ImageState(ImageConfig config, List<LayerRef> layers) {
    /** One layer: its blob's descriptor and the diffID the config lists. */
    public record LayerRef(Descriptor blob, Digest diffId) {
        public LayerRef {
            Objects.requireNonNull(blob, "blob");
            Objects.requireNonNull(diffId, "diffId");
        }
    }

    public ImageState {
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
        if (config.rootfs().diffIds().size() != layers.size()) {
            throw new IllegalArgumentException("config lists " + config.rootfs().diffIds().size()
                    + " diffIDs but the image has " + layers.size() + " layers");
        }
    }

    /** The state of an existing image. */
    public static ImageState of(Image image) throws IOException {
        List<LayerRef> layers = new ArrayList<>();
        for (Layer layer : image.layers()) {
            layers.add(new LayerRef(layer.descriptor(), layer.diffId()));
        }
        return new ImageState(image.config(), layers);
    }

    /** The digest of this state's config as canonical JSON: what the next step's cache key starts from. */
    public Digest configDigest() {
        return Digest.sha256(config.toJson());
    }

    /** This state with a new config (same layers). */
    public ImageState withConfig(ImageConfig newConfig) {
        return new ImageState(newConfig, layers);
    }

    /** This state with one more layer and its history entry. */
    public ImageState withLayer(LayerRef layer, History history) {
        List<LayerRef> all = new ArrayList<>(layers);
        all.add(layer);
        return new ImageState(config.withLayer(layer.diffId(), history), all);
    }

    /** This state with a history entry for a step that made no layer. */
    public ImageState withEmptyLayer(History history) {
        return new ImageState(config.withEmptyLayerHistory(history), layers);
    }
}

package dev.jbuild.builder.internal;

import dev.jbuild.builder.ImageFormat;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes an {@link ImageState} into the store as config + manifest blobs, and reads one back. */
public final class ImageWriter {
    private ImageWriter() {
    }

    /** Writes the config and a manifest of {@code format}; returns the manifest's descriptor. */
    public static Descriptor write(Store store, ImageState state, ImageFormat format, Map<String, String> annotations)
            throws IOException {
        boolean docker = format == ImageFormat.DOCKER;
        Descriptor config = store.writeBlob(docker ? MediaType.DOCKER_CONFIG : MediaType.OCI_CONFIG,
                state.config().toJson());
        List<Descriptor> layers = new ArrayList<>();
        for (ImageState.LayerRef layer : state.layers()) {
            layers.add(new Descriptor(layerMediaType(layer.blob().mediaType(), docker), layer.blob().digest(),
                    layer.blob().size()));
        }
        Manifest manifest = new Manifest(2, docker ? MediaType.DOCKER_MANIFEST : MediaType.OCI_MANIFEST, "", config,
                layers, null, annotations, Map.of());
        return store.writeBlob(manifest.mediaType(), manifest.toJson());
    }

    /** The state a manifest in the store describes. */
    public static ImageState read(Store store, Descriptor manifestDescriptor) throws IOException {
        Manifest manifest;
        try (var in = store.open(manifestDescriptor)) {
            manifest = Manifest.parse(in.readAllBytes());
        }
        ImageConfig config;
        try (var in = store.open(manifest.config())) {
            config = ImageConfig.parse(in.readAllBytes());
        }
        List<ImageState.LayerRef> layers = new ArrayList<>();
        for (int i = 0; i < manifest.layers().size(); i++) {
            layers.add(new ImageState.LayerRef(manifest.layers().get(i), config.rootfs().diffIds().get(i)));
        }
        return new ImageState(config, layers);
    }

    /** The annotations of a manifest in the store. */
    public static Map<String, String> annotations(Store store, Descriptor manifestDescriptor) throws IOException {
        try (var in = store.open(manifestDescriptor)) {
            return Manifest.parse(in.readAllBytes()).annotations();
        }
    }

    private static String layerMediaType(String mediaType, boolean docker) {
        MediaType.Compression compression = MediaType.compressionOf(mediaType);
        return MediaType.layerType(compression, docker);
    }
}

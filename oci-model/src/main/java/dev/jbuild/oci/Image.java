package dev.jbuild.oci;

import java.io.IOException;
import java.util.List;

/**
 * A single-platform image, wherever it lives (a registry, an OCI layout, a docker-archive, the
 * store, or one being built). The raw bytes are what the digests cover; the parsed forms are views.
 */
public interface Image {
    /** The manifest's descriptor: media type, digest and size of {@link #rawManifest()}. */
    Descriptor descriptor();

    /** The manifest exactly as stored or received. */
    byte[] rawManifest() throws IOException;

    /** The config blob exactly as stored or received. */
    byte[] rawConfig() throws IOException;

    /** The layers, bottom first, paired with their diffIDs from the config. */
    List<Layer> layers() throws IOException;

    default Digest digest() {
        return descriptor().digest();
    }

    default Manifest manifest() throws IOException {
        return Manifest.parse(rawManifest());
    }

    default ImageConfig config() throws IOException {
        return ImageConfig.parse(rawConfig());
    }
}

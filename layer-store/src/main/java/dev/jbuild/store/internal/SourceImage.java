package dev.jbuild.store.internal;

import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.Layer;
import dev.jbuild.oci.Manifest;
import dev.jbuild.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** An {@link Image} read lazily from any content source by its manifest descriptor. */
public final class SourceImage implements Image {
    private final ContentSource source;
    private final Descriptor descriptor;
    private byte[] manifest;
    private byte[] config;

    public SourceImage(ContentSource source, Descriptor descriptor) {
        this.source = source;
        this.descriptor = descriptor;
    }

    @Override
    public Descriptor descriptor() {
        return descriptor;
    }

    @Override
    public synchronized byte[] rawManifest() throws IOException {
        if (manifest == null) {
            manifest = source.readAll(descriptor);
        }
        return manifest.clone();
    }

    @Override
    public synchronized byte[] rawConfig() throws IOException {
        if (config == null) {
            config = source.readAll(manifest().config());
        }
        return config.clone();
    }

    @Override
    public List<Layer> layers() throws IOException {
        Manifest parsed = manifest();
        List<Digest> diffIds = config().rootfs().diffIds();
        List<Descriptor> blobs = parsed.layers();
        if (blobs.size() != diffIds.size()) {
            throw new StoreException("image " + descriptor.digest() + " is inconsistent: its manifest lists "
                    + blobs.size() + " layers but its config has " + diffIds.size() + " diff_ids");
        }
        List<Layer> layers = new ArrayList<>(blobs.size());
        for (int i = 0; i < blobs.size(); i++) {
            layers.add(new SourceLayer(source, blobs.get(i), diffIds.get(i)));
        }
        return List.copyOf(layers);
    }

    private record SourceLayer(ContentSource source, Descriptor descriptor, Digest diffId) implements Layer {
        @Override
        public InputStream compressed() throws IOException {
            return source.open(descriptor);
        }
    }
}

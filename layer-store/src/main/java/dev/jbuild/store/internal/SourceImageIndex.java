package dev.jbuild.store.internal;

import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.ImageIndex;
import java.io.IOException;

/** An {@link ImageIndex} read lazily from any content source by its descriptor. */
public final class SourceImageIndex implements ImageIndex {
    private final ContentSource source;
    private final Descriptor descriptor;
    private byte[] raw;

    public SourceImageIndex(ContentSource source, Descriptor descriptor) {
        this.source = source;
        this.descriptor = descriptor;
    }

    @Override
    public Descriptor descriptor() {
        return descriptor;
    }

    @Override
    public synchronized byte[] rawIndex() throws IOException {
        if (raw == null) {
            raw = source.readAll(descriptor);
        }
        return raw.clone();
    }

    @Override
    public Image image(Descriptor child) {
        return new SourceImage(source, child);
    }

    @Override
    public ImageIndex childIndex(Descriptor child) {
        return new SourceImageIndex(source, child);
    }
}

package dev.jbuild.store.internal;

import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.store.StoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Picks the image for a platform out of whatever a descriptor names: an image manifest, or an index of them. */
public final class PlatformSelector {
    private PlatformSelector() {
    }

    /** The image for {@code platform}; a plain manifest is taken as it is (it names only one platform). */
    public static Image select(ContentSource source, Descriptor descriptor, Platform platform, String name)
            throws IOException {
        if (MediaType.isManifest(descriptor.mediaType())) {
            return new SourceImage(source, descriptor);
        }
        if (!MediaType.isIndex(descriptor.mediaType())) {
            throw new StoreException(name + " is not an image: it has media type " + descriptor.mediaType());
        }
        List<String> available = new ArrayList<>();
        Image found = search(new SourceImageIndex(source, descriptor), platform, available);
        if (found == null) {
            throw new StoreException(name + " has no image for platform " + platform.format() + " (it has: "
                    + (available.isEmpty() ? "none" : String.join(", ", available)) + ")");
        }
        return found;
    }

    private static Image search(ImageIndex index, Platform platform, List<String> available) throws IOException {
        Index parsed = index.index();
        for (Descriptor child : parsed.manifests()) {
            if (MediaType.isManifest(child.mediaType()) && child.platform() != null) {
                if (child.platform().matches(platform)) {
                    return index.image(child);
                }
                available.add(child.platform().format());
            }
        }
        for (Descriptor child : parsed.manifests()) {
            if (MediaType.isIndex(child.mediaType())) {
                Image nested = search(index.childIndex(child), platform, available);
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }
}

package dev.jbuild.registry;

import dev.jbuild.oci.Descriptor;
import java.util.Objects;

/** A manifest or index exactly as the registry served it, with the descriptor its verified bytes have. */
public record FetchedManifest(Descriptor descriptor, byte[] bytes) {
    public FetchedManifest {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(bytes, "bytes");
    }
}

package dev.jbuild.oci;

import dev.jbuild.oci.internal.JsonCodec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An image manifest (OCI image manifest or Docker schema 2): a config and an ordered list of layers. */
public record Manifest(
        int schemaVersion,
        String mediaType,
        String artifactType,
        Descriptor config,
        List<Descriptor> layers,
        Descriptor subject,
        Map<String, String> annotations,
        Map<String, Object> unknownFields) {

    public Manifest {
        if (schemaVersion != 2) {
            throw new IllegalArgumentException("unsupported manifest schemaVersion " + schemaVersion
                    + (schemaVersion == 1 ? " (Docker schema 1 is obsolete; re-push the image with a current tool)" : ""));
        }
        mediaType = mediaType == null ? "" : mediaType;
        artifactType = artifactType == null ? "" : artifactType;
        Objects.requireNonNull(config, "manifest config");
        layers = layers == null ? List.of() : List.copyOf(layers);
        annotations = JsonCodec.copyOrdered(annotations);
        unknownFields = JsonCodec.copyOrdered(unknownFields);
    }

    /** A plain image manifest of the OCI ({@code docker=false}) or Docker schema 2 family. */
    public static Manifest of(boolean docker, Descriptor config, List<Descriptor> layers) {
        return new Manifest(2, docker ? MediaType.DOCKER_MANIFEST : MediaType.OCI_MANIFEST, "", config, layers,
                null, Map.of(), Map.of());
    }

    /** Parses manifest JSON; keep the bytes as well when the digest matters. */
    public static Manifest parse(byte[] json) {
        return JsonCodec.readManifest(json);
    }

    /** Canonical JSON: stable field order, empty fields omitted, unknown fields kept. */
    public byte[] toJson() {
        return JsonCodec.write(this);
    }

    /** True when this is a Docker schema 2 manifest rather than an OCI one. */
    public boolean isDocker() {
        return MediaType.DOCKER_MANIFEST.equals(mediaType);
    }
}

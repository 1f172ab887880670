package dev.jbuild.oci;

import dev.jbuild.oci.internal.JsonCodec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An OCI image index or Docker manifest list: manifests for several platforms under one digest. */
public record Index(
        int schemaVersion,
        String mediaType,
        String artifactType,
        List<Descriptor> manifests,
        Descriptor subject,
        Map<String, String> annotations,
        Map<String, Object> unknownFields) {

    public Index {
        if (schemaVersion != 2) {
            throw new IllegalArgumentException("unsupported index schemaVersion " + schemaVersion);
        }
        mediaType = mediaType == null ? "" : mediaType;
        artifactType = artifactType == null ? "" : artifactType;
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        annotations = JsonCodec.copyOrdered(annotations);
        unknownFields = JsonCodec.copyOrdered(unknownFields);
    }

    /** An index of the OCI ({@code docker=false}) or Docker manifest-list family. */
    public static Index of(boolean docker, List<Descriptor> manifests) {
        return new Index(2, docker ? MediaType.DOCKER_MANIFEST_LIST : MediaType.OCI_INDEX, "", manifests, null,
                Map.of(), Map.of());
    }

    public static Index parse(byte[] json) {
        return JsonCodec.readIndex(json);
    }

    /** Canonical JSON: stable field order, empty fields omitted, unknown fields kept. */
    public byte[] toJson() {
        return JsonCodec.write(this);
    }

    /** True when this is a Docker manifest list rather than an OCI index. */
    public boolean isDocker() {
        return MediaType.DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    /** The first image manifest whose platform matches {@code wanted}. */
    public Optional<Descriptor> find(Platform wanted) {
        return manifests.stream()
                .filter(d -> d.platform() != null && d.platform().matches(wanted))
                .findFirst();
    }

    /** This index with its manifest list replaced. */
    public Index withManifests(List<Descriptor> newManifests) {
        return new Index(schemaVersion, mediaType, artifactType, newManifests, subject, annotations, unknownFields);
    }
}

package dev.jbuild.oci;

import dev.jbuild.oci.internal.JsonCodec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pointer to content: media type, digest and size, plus the optional URLs, annotations,
 * platform (in indexes) and artifact type. Fields this model does not know are kept in
 * {@code unknownFields} so they survive a round trip.
 */
public record Descriptor(
        String mediaType,
        Digest digest,
        long size,
        List<String> urls,
        Map<String, String> annotations,
        Platform platform,
        String artifactType,
        Map<String, Object> unknownFields) {

    /** The annotation that names a tag in an OCI image layout's index.json. */
    public static final String REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";

    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("descriptor size must not be negative: " + size);
        }
        urls = urls == null ? List.of() : List.copyOf(urls);
        annotations = JsonCodec.copyOrdered(annotations);
        artifactType = artifactType == null ? "" : artifactType;
        unknownFields = JsonCodec.copyOrdered(unknownFields);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, List.of(), Map.of(), null, "", Map.of());
    }

    /** This descriptor with its annotations replaced. */
    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, urls, newAnnotations, platform, artifactType, unknownFields);
    }

    /** This descriptor with its platform replaced. */
    public Descriptor withPlatform(Platform newPlatform) {
        return new Descriptor(mediaType, digest, size, urls, annotations, newPlatform, artifactType, unknownFields);
    }

    /** The value of {@link #REF_NAME_ANNOTATION}, or empty. */
    public String refName() {
        return annotations.getOrDefault(REF_NAME_ANNOTATION, "");
    }
}

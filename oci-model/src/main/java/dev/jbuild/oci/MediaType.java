package dev.jbuild.oci;

/** The media types of OCI and Docker schema 2 manifests, indexes, configs and layers, and what they mean. */
public final class MediaType {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYOUT_HEADER = "application/vnd.oci.layout.header.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_TAR = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP =
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD =
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_LAYER_FOREIGN_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
    /** Docker schema 1, which we recognise only to reject it clearly. */
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /** The Accept header value for manifest requests: every manifest and index type we read. */
    public static final String MANIFEST_ACCEPT =
            String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

    private MediaType() {
    }

    /** The compression a layer media type declares. */
    public enum Compression {
        NONE, GZIP, ZSTD
    }

    /** True for an image manifest (OCI or Docker schema 2). */
    public static boolean isManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    /** True for an index (OCI image index or Docker manifest list). */
    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    /** True for an image config. */
    public static boolean isConfig(String mediaType) {
        return OCI_CONFIG.equals(mediaType) || DOCKER_CONFIG.equals(mediaType);
    }

    /** True for a filesystem layer of any compression, distributable or not. */
    public static boolean isLayer(String mediaType) {
        return mediaType != null
                && (mediaType.startsWith("application/vnd.oci.image.layer.")
                        || mediaType.startsWith("application/vnd.docker.image.rootfs."));
    }

    /** True for layers that registries may refuse to serve (nondistributable / foreign). */
    public static boolean isNondistributable(String mediaType) {
        return mediaType != null && (mediaType.contains(".nondistributable.") || mediaType.contains(".foreign."));
    }

    /** The compression of a layer media type. */
    public static Compression compressionOf(String mediaType) {
        if (!isLayer(mediaType)) {
            throw new IllegalArgumentException("not a layer media type: " + mediaType);
        }
        if (mediaType.endsWith("+zstd") || mediaType.endsWith(".zstd")) {
            return Compression.ZSTD;
        }
        if (mediaType.endsWith("+gzip") || mediaType.endsWith(".gzip")) {
            return Compression.GZIP;
        }
        return Compression.NONE;
    }

    /** The layer media type of the given compression in the OCI or Docker family. */
    public static String layerType(Compression compression, boolean docker) {
        return switch (compression) {
            case NONE -> docker ? DOCKER_LAYER_TAR : OCI_LAYER_TAR;
            case GZIP -> docker ? DOCKER_LAYER_GZIP : OCI_LAYER_GZIP;
            case ZSTD -> {
                if (docker) {
                    throw new IllegalArgumentException("Docker schema 2 has no zstd layer type");
                }
                yield OCI_LAYER_ZSTD;
            }
        };
    }
}

package dev.jbuild.oci;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Converts OCI image manifests and indexes to Docker schema 2 manifests and manifest lists, for
 * registries that refuse OCI media types. Only the documents change: the config and layer blobs
 * keep their bytes and digests, their descriptors get Docker media types. What Docker's format
 * cannot hold (annotations, {@code subject}, {@code artifactType}, embedded {@code data}) is
 * dropped and listed; zstd layers and non-image configs cannot be converted at all.
 */
public final class DockerFormat {
    /** Docker's media type for a non-distributable uncompressed layer. */
    static final String DOCKER_LAYER_FOREIGN_TAR = "application/vnd.docker.image.rootfs.foreign.diff.tar";

    private DockerFormat() {
    }

    /**
     * A converted document: its descriptor (Docker media type, new digest and size), its bytes,
     * and the JSON paths of the fields dropped on the way ({@code annotations},
     * {@code layers[0].annotations}, …).
     */
    public record Converted(Descriptor descriptor, byte[] bytes, List<String> dropped) {
        public Converted {
            Objects.requireNonNull(descriptor, "descriptor");
            Objects.requireNonNull(bytes, "bytes");
            dropped = List.copyOf(dropped);
        }
    }

    /** True for the OCI manifest and index media types, the documents this class converts. */
    public static boolean isOci(String mediaType) {
        return MediaType.OCI_MANIFEST.equals(mediaType) || MediaType.OCI_INDEX.equals(mediaType);
    }

    /** The Docker schema 2 manifest for an OCI image manifest; fails naming what cannot be converted. */
    public static Converted manifest(byte[] ociManifest) throws IOException {
        Map<String, Object> oci = object(ociManifest, "manifest");
        List<String> dropped = new ArrayList<>();
        requireMediaType(oci, MediaType.OCI_MANIFEST, "manifest");
        dropTopLevel(oci, dropped);
        Map<String, Object> docker = new LinkedHashMap<>();
        docker.put("schemaVersion", 2);
        docker.put("mediaType", MediaType.DOCKER_MANIFEST);
        Map<String, Object> config = descriptorObject(oci.get("config"), "config");
        String configType = String.valueOf(config.get("mediaType"));
        if (!configType.equals(MediaType.OCI_CONFIG) && !configType.equals(MediaType.DOCKER_CONFIG)) {
            throw new IOException("cannot convert to Docker schema 2: the config is " + configType
                    + ", not an image config (an artifact has no Docker form)");
        }
        docker.put("config", dockerDescriptor(config, MediaType.DOCKER_CONFIG, "config", dropped));
        List<Object> layers = new ArrayList<>();
        Object ociLayers = oci.get("layers");
        if (!(ociLayers instanceof List<?> list)) {
            throw new IOException("cannot convert to Docker schema 2: the manifest has no layers list");
        }
        for (int i = 0; i < list.size(); i++) {
            String path = "layers[" + i + "]";
            Map<String, Object> layer = descriptorObject(list.get(i), path);
            layers.add(dockerDescriptor(layer, dockerLayerType(layer, path), path, dropped));
        }
        docker.put("layers", layers);
        return converted(docker, MediaType.DOCKER_MANIFEST, dropped);
    }

    /**
     * The Docker manifest list for an OCI index whose image manifests were converted first:
     * {@code convertedChildren} maps each child's OCI digest to its Docker descriptor. Children
     * already in Docker format stay; every entry must carry a platform (Docker requires one).
     */
    public static Converted index(byte[] ociIndex, Map<Digest, Descriptor> convertedChildren) throws IOException {
        Map<String, Object> oci = object(ociIndex, "index");
        List<String> dropped = new ArrayList<>();
        requireMediaType(oci, MediaType.OCI_INDEX, "index");
        dropTopLevel(oci, dropped);
        Map<String, Object> docker = new LinkedHashMap<>();
        docker.put("schemaVersion", 2);
        docker.put("mediaType", MediaType.DOCKER_MANIFEST_LIST);
        Object ociManifests = oci.get("manifests");
        if (!(ociManifests instanceof List<?> list)) {
            throw new IOException("cannot convert to a Docker manifest list: the index has no manifests list");
        }
        List<Object> manifests = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "manifests[" + i + "]";
            Map<String, Object> entry = descriptorObject(list.get(i), path);
            String type = String.valueOf(entry.get("mediaType"));
            Digest digest = Digest.parse(String.valueOf(entry.get("digest")));
            Map<String, Object> child = new LinkedHashMap<>(entry);
            if (type.equals(MediaType.OCI_MANIFEST)) {
                Descriptor replacement = convertedChildren.get(digest);
                if (replacement == null) {
                    throw new IOException("cannot convert to a Docker manifest list: " + path + " (" + digest
                            + ") was not converted to Docker format first");
                }
                child.put("mediaType", replacement.mediaType());
                child.put("digest", replacement.digest().toString());
                child.put("size", replacement.size());
            } else if (!type.equals(MediaType.DOCKER_MANIFEST)) {
                throw new IOException("cannot convert to a Docker manifest list: " + path + " is " + type
                        + " (a Docker manifest list holds only image manifests)");
            }
            if (!(entry.get("platform") instanceof Map<?, ?>)) {
                throw new IOException("cannot convert to a Docker manifest list: " + path + " (" + digest
                        + ") has no platform, which Docker manifest lists require");
            }
            Map<String, Object> kept = dockerDescriptor(child, String.valueOf(child.get("mediaType")), path, dropped);
            kept.put("platform", entry.get("platform"));
            manifests.add(kept);
        }
        docker.put("manifests", manifests);
        return converted(docker, MediaType.DOCKER_MANIFEST_LIST, dropped);
    }

    private static String dockerLayerType(Map<String, Object> layer, String path) throws IOException {
        String type = String.valueOf(layer.get("mediaType"));
        return switch (type) {
            case MediaType.OCI_LAYER_GZIP, MediaType.DOCKER_LAYER_GZIP -> MediaType.DOCKER_LAYER_GZIP;
            case MediaType.OCI_LAYER_TAR, MediaType.DOCKER_LAYER_TAR -> MediaType.DOCKER_LAYER_TAR;
            case MediaType.OCI_LAYER_NONDISTRIBUTABLE_GZIP, MediaType.DOCKER_LAYER_FOREIGN_GZIP ->
                    MediaType.DOCKER_LAYER_FOREIGN_GZIP;
            case MediaType.OCI_LAYER_NONDISTRIBUTABLE_TAR, DOCKER_LAYER_FOREIGN_TAR -> DOCKER_LAYER_FOREIGN_TAR;
            case MediaType.OCI_LAYER_ZSTD, MediaType.OCI_LAYER_NONDISTRIBUTABLE_ZSTD -> throw new IOException(
                    "cannot convert to Docker schema 2: " + path + " (" + layer.get("digest") + ") is zstd-compressed, "
                            + "which Docker's format has no media type for; push it as OCI or rebuild with gzip layers");
            default -> throw new IOException("cannot convert to Docker schema 2: " + path + " (" + layer.get("digest")
                    + ") has media type " + type + ", which is not an image layer");
        };
    }

    /** mediaType, size, digest (and urls for foreign layers); everything else is listed as dropped. */
    private static Map<String, Object> dockerDescriptor(Map<String, Object> oci, String mediaType, String path,
            List<String> dropped) {
        Map<String, Object> docker = new LinkedHashMap<>();
        docker.put("mediaType", mediaType);
        docker.put("size", oci.get("size"));
        docker.put("digest", oci.get("digest"));
        boolean foreign = mediaType.equals(MediaType.DOCKER_LAYER_FOREIGN_GZIP)
                || mediaType.equals(DOCKER_LAYER_FOREIGN_TAR);
        for (String key : oci.keySet()) {
            switch (key) {
                case "mediaType", "size", "digest" -> {
                }
                case "urls" -> {
                    if (foreign) {
                        docker.put("urls", oci.get("urls"));
                    } else {
                        dropped.add(path + ".urls");
                    }
                }
                case "platform" -> {
                    if (!path.startsWith("manifests[")) {
                        dropped.add(path + ".platform");
                    }
                }
                default -> dropped.add(path + "." + key);
            }
        }
        return docker;
    }

    private static void dropTopLevel(Map<String, Object> oci, List<String> dropped) {
        for (String key : oci.keySet()) {
            if (!List.of("schemaVersion", "mediaType", "config", "layers", "manifests").contains(key)) {
                dropped.add(key);
            }
        }
    }

    private static void requireMediaType(Map<String, Object> document, String expected, String what)
            throws IOException {
        Object declared = document.get("mediaType");
        if (declared != null && !expected.equals(declared)) {
            throw new IOException("cannot convert to Docker format: the " + what + " is " + declared + ", not "
                    + expected);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(byte[] bytes, String what) throws IOException {
        Object parsed;
        try {
            parsed = Json.read(bytes);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot convert to Docker format: the " + what + " is not JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IOException("cannot convert to Docker format: the " + what + " is not a JSON object");
        }
        return (Map<String, Object>) map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> descriptorObject(Object value, String path) throws IOException {
        if (!(value instanceof Map<?, ?> map) || !(map.get("digest") instanceof String digest)
                || !Digest.isDigest(digest) || !(map.get("size") instanceof Number)
                || !(map.get("mediaType") instanceof String)) {
            throw new IOException("cannot convert to Docker format: " + path
                    + " is not a descriptor with mediaType, digest and size");
        }
        return (Map<String, Object>) map;
    }

    private static Converted converted(Map<String, Object> document, String mediaType, List<String> dropped) {
        byte[] bytes = Json.write(document);
        return new Converted(new Descriptor(mediaType, Digest.sha256(bytes), bytes.length), bytes, dropped);
    }
}

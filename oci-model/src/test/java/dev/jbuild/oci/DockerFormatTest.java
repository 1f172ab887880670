package dev.jbuild.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerFormatTest {
    private static final String CONFIG = "sha256:" + "c".repeat(64);
    private static final String GZIP_LAYER = "sha256:" + "1".repeat(64);
    private static final String TAR_LAYER = "sha256:" + "2".repeat(64);

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String ociManifest(String secondLayerType) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaType.OCI_CONFIG + "\",\"digest\":\"" + CONFIG + "\",\"size\":401},"
                + "\"layers\":[{\"mediaType\":\"" + MediaType.OCI_LAYER_GZIP + "\",\"digest\":\"" + GZIP_LAYER
                + "\",\"size\":207,\"annotations\":{\"org.example.layer\":\"x\"}},"
                + "{\"mediaType\":\"" + secondLayerType + "\",\"digest\":\"" + TAR_LAYER + "\",\"size\":10240}],"
                + "\"annotations\":{\"org.opencontainers.image.created\":\"2026-01-01T00:00:00Z\"}}";
    }

    @Test
    void aManifestGetsDockerMediaTypesKeepsBlobsAndDropsAnnotations() throws IOException {
        DockerFormat.Converted converted = DockerFormat.manifest(bytes(ociManifest(MediaType.OCI_LAYER_TAR)));

        String expected = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.DOCKER_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaType.DOCKER_CONFIG + "\",\"size\":401,\"digest\":\"" + CONFIG + "\"},"
                + "\"layers\":[{\"mediaType\":\"" + MediaType.DOCKER_LAYER_GZIP + "\",\"size\":207,\"digest\":\""
                + GZIP_LAYER + "\"},{\"mediaType\":\"" + MediaType.DOCKER_LAYER_TAR + "\",\"size\":10240,\"digest\":\""
                + TAR_LAYER + "\"}]}";
        assertEquals(expected, new String(converted.bytes(), StandardCharsets.UTF_8));
        assertEquals(new Descriptor(MediaType.DOCKER_MANIFEST, Digest.sha256(bytes(expected)), bytes(expected).length),
                converted.descriptor());
        assertEquals(List.of("annotations", "layers[0].annotations"), converted.dropped());

        Manifest parsed = Manifest.parse(converted.bytes());
        assertEquals(Digest.parse(CONFIG), parsed.config().digest());
        assertEquals(401, parsed.config().size());
        assertEquals(List.of(Digest.parse(GZIP_LAYER), Digest.parse(TAR_LAYER)),
                parsed.layers().stream().map(Descriptor::digest).toList());
    }

    @Test
    void zstdLayersAndArtifactsCannotBeConverted() {
        IOException zstd = assertThrows(IOException.class,
                () -> DockerFormat.manifest(bytes(ociManifest(MediaType.OCI_LAYER_ZSTD))));
        assertTrue(zstd.getMessage().contains("layers[1]") && zstd.getMessage().contains("zstd"), zstd.getMessage());

        String artifact = ociManifest(MediaType.OCI_LAYER_TAR).replace(MediaType.OCI_CONFIG,
                "application/vnd.example.sbom.config+json");
        IOException notImage = assertThrows(IOException.class, () -> DockerFormat.manifest(bytes(artifact)));
        assertTrue(notImage.getMessage().contains("application/vnd.example.sbom.config+json"), notImage.getMessage());
    }

    @Test
    void anIndexBecomesAManifestListPointingAtTheConvertedManifests() throws IOException {
        byte[] amd = bytes(ociManifest(MediaType.OCI_LAYER_GZIP));
        Digest amdOci = Digest.sha256(amd);
        DockerFormat.Converted amdDocker = DockerFormat.manifest(amd);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"digest\":\"" + amdOci + "\",\"size\":" + amd.length
                + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"},\"annotations\":{\"a\":\"b\"}}],"
                + "\"annotations\":{\"x\":\"y\"}}";

        DockerFormat.Converted list = DockerFormat.index(bytes(index), Map.of(amdOci, amdDocker.descriptor()));

        String expected = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.DOCKER_MANIFEST_LIST + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaType.DOCKER_MANIFEST + "\",\"size\":" + amdDocker.bytes().length
                + ",\"digest\":\"" + amdDocker.descriptor().digest() + "\","
                + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}";
        assertEquals(expected, new String(list.bytes(), StandardCharsets.UTF_8));
        assertEquals(MediaType.DOCKER_MANIFEST_LIST, list.descriptor().mediaType());
        assertEquals(Digest.sha256(list.bytes()), list.descriptor().digest());
        assertEquals(List.of("annotations", "manifests[0].annotations"), list.dropped());

        IOException unconverted = assertThrows(IOException.class, () -> DockerFormat.index(bytes(index), Map.of()));
        assertTrue(unconverted.getMessage().contains(amdOci.toString()), unconverted.getMessage());
    }
}

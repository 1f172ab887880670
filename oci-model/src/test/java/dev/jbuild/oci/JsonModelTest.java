package dev.jbuild.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonModelTest {
    private static final String CONFIG_DIGEST =
            "sha256:b8604a3fe8543c9e6afc29550de05b36cd162a97aa9b2833864ea8a5be11f3e2";
    private static final String LAYER_DIGEST =
            "sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4";

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void manifestRoundTripsCanonicallyAndKeepsUnknownFields() {
        String json = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":1469,
                           "x-extra":{"n":[1,2]}},
                 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":32,
                            "annotations":{"b":"2","a":"1"},"urls":["https://example.com/l"]}],
                 "annotations":{"org.opencontainers.image.created":"2026-11-21T00:00:00Z"},
                 "vendorField":"kept"}
                """.formatted(CONFIG_DIGEST, LAYER_DIGEST);
        Manifest manifest = Manifest.parse(utf8(json));
        assertEquals(1469, manifest.config().size());
        assertEquals(Map.of("x-extra", Map.of("n", List.of(1, 2))), manifest.config().unknownFields());
        assertEquals(List.of("b", "a"), List.copyOf(manifest.layers().getFirst().annotations().keySet()));
        assertEquals("kept", manifest.unknownFields().get("vendorField"));
        assertFalse(manifest.isDocker());

        byte[] canonical = manifest.toJson();
        String text = new String(canonical, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"schemaVersion\":2,\"mediaType\":"), text);
        assertTrue(text.endsWith(",\"vendorField\":\"kept\"}"), text);
        assertArrayEquals(canonical, Manifest.parse(canonical).toJson());
        assertEquals(manifest, Manifest.parse(canonical));
    }

    @Test
    void writesNoHtmlEscapesAndNoWhitespace() {
        Descriptor config = new Descriptor(MediaType.OCI_CONFIG, Digest.parse(CONFIG_DIGEST), 2);
        Manifest manifest = new Manifest(2, MediaType.OCI_MANIFEST, "", config, List.of(), null,
                Map.of("note", "<a&b>"), Map.of());
        String text = new String(manifest.toJson(), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"note\":\"<a&b>\""), text);
        assertFalse(text.contains(" "), text);
        assertEquals(Digest.sha256(manifest.toJson()), Digest.sha256(manifest.toJson()));
    }

    @Test
    void readsDockerManifestListWithPlatforms() {
        String json = """
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
                 "manifests":[
                  {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"%s","size":527,
                   "platform":{"architecture":"amd64","os":"linux"}},
                  {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"%s","size":527,
                   "platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}
                """.formatted(CONFIG_DIGEST, LAYER_DIGEST);
        Index index = Index.parse(utf8(json));
        assertTrue(index.isDocker());
        assertEquals(LAYER_DIGEST, index.find(Platform.parse("linux/aarch64")).orElseThrow().digest().toString());
        assertEquals(CONFIG_DIGEST, index.find(Platform.parse("linux/amd64")).orElseThrow().digest().toString());
        assertTrue(index.find(Platform.parse("linux/s390x")).isEmpty());
        String written = new String(index.toJson(), StandardCharsets.UTF_8);
        assertTrue(written.contains("\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}"),
                written);
    }

    @Test
    void imageConfigCarriesEveryField() {
        String json = """
                {"created":"2026-01-02T03:04:05.123456789Z","author":"me","architecture":"arm64","os":"linux",
                 "variant":"v8","os.features":["f"],
                 "config":{"User":"app:app","ExposedPorts":{"80/tcp":{},"53/udp":{}},"Env":["PATH=/bin","A=1"],
                   "Entrypoint":["/init"],"Cmd":null,"Volumes":{"/data":{}},"WorkingDir":"/srv",
                   "Labels":{"k":"v"},"StopSignal":"SIGINT","ArgsEscaped":true,
                   "Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":30000000000,"Timeout":5000000000,
                     "StartPeriod":1000000000,"StartInterval":2000000000,"Retries":3},
                   "OnBuild":["RUN echo hi"],"Shell":["/bin/bash","-c"],"Memory":0},
                 "rootfs":{"type":"layers","diff_ids":["%s"]},
                 "history":[{"created":"2026-01-02T03:04:05Z","created_by":"/bin/sh -c #(nop) ADD file","comment":"c"},
                            {"created_by":"ENV A=1","empty_layer":true}],
                 "container_config":{"Hostname":"x"}}
                """.formatted(LAYER_DIGEST);
        ImageConfig config = ImageConfig.parse(utf8(json));
        assertEquals(Instant.parse("2026-01-02T03:04:05.123456789Z"), config.created());
        assertEquals("linux/arm64/v8", config.platform().format());
        ContainerConfig c = config.config();
        assertEquals("app:app", c.user());
        assertEquals(List.of("80/tcp", "53/udp"), List.copyOf(c.exposedPorts()));
        assertEquals("1", c.envValue("A"));
        assertEquals(List.of("/init"), c.entrypoint());
        assertNull(c.cmd());
        assertEquals("SIGINT", c.stopSignal());
        assertTrue(c.argsEscaped());
        assertEquals(Duration.ofSeconds(30), c.healthcheck().interval());
        assertEquals(Duration.ofSeconds(2), c.healthcheck().startInterval());
        assertEquals(3, c.healthcheck().retries());
        assertEquals(List.of("RUN echo hi"), c.onBuild());
        assertEquals(List.of("/bin/bash", "-c"), c.shell());
        assertEquals(Map.of("Memory", 0), c.unknownFields());
        assertEquals(List.of(Digest.parse(LAYER_DIGEST)), config.rootfs().diffIds());
        assertTrue(config.history().get(1).emptyLayer());
        assertEquals(Map.of("container_config", Map.of("Hostname", "x")), config.unknownFields());

        ImageConfig again = ImageConfig.parse(config.toJson());
        assertEquals(config, again);
        assertArrayEquals(config.toJson(), again.toJson());
    }

    @Test
    void configChangesThroughBuilderAndWithers() {
        ImageConfig base = ImageConfig.empty(Platform.parse("linux/amd64"));
        ContainerConfig changed = base.config().toBuilder()
                .env("PATH", "/bin").env("A", "1").env("PATH", "/usr/bin:/bin")
                .workingDir("/app").cmd(List.of("run")).label("l", "v").build();
        Digest diffId = Digest.sha256(new byte[] {1});
        ImageConfig next = base.withConfig(changed)
                .withLayer(diffId, new History(Instant.EPOCH, "COPY . /app", "", "", false))
                .withEmptyLayerHistory(new History(Instant.EPOCH, "CMD [\"run\"]", "", "", true));
        assertEquals(List.of("PATH=/usr/bin:/bin", "A=1"), next.config().env());
        assertEquals(List.of(diffId), next.rootfs().diffIds());
        assertEquals(2, next.history().size());
        assertEquals(ContainerConfig.EMPTY, base.config());
        assertThrows(IllegalArgumentException.class,
                () -> base.withEmptyLayerHistory(new History(null, "RUN x", "", "", false)));
    }

    @Test
    void rejectsMalformedDocumentsWithClearMessages() {
        var notJson = assertThrows(IllegalArgumentException.class, () -> Manifest.parse(utf8("{")));
        assertTrue(notJson.getMessage().startsWith("invalid manifest JSON"), notJson.getMessage());
        var noConfig = assertThrows(IllegalArgumentException.class,
                () -> Manifest.parse(utf8("{\"schemaVersion\":2,\"layers\":[]}")));
        assertTrue(noConfig.getMessage().contains("config"), noConfig.getMessage());
        var schema1 = assertThrows(IllegalArgumentException.class,
                () -> Manifest.parse(utf8("{\"schemaVersion\":1,\"config\":{}}")));
        assertTrue(schema1.getMessage().contains("schema 1"), schema1.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Manifest.parse(utf8(
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" + CONFIG_DIGEST
                        + "\",\"size\":-1}}")));
        assertThrows(IllegalArgumentException.class, () -> Index.parse(utf8(
                "{\"schemaVersion\":2,\"manifests\":{}}")));
        var duplicate = assertThrows(IllegalArgumentException.class, () -> Index.parse(utf8(
                "{\"schemaVersion\":2,\"schemaVersion\":2}")));
        assertTrue(duplicate.getMessage().contains("schemaVersion"), duplicate.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Index.parse(utf8("{\"schemaVersion\":2} []")));
    }

    @Test
    void mediaTypesClassifyContent() {
        assertTrue(MediaType.isManifest(MediaType.DOCKER_MANIFEST));
        assertTrue(MediaType.isIndex(MediaType.OCI_INDEX));
        assertTrue(MediaType.isLayer(MediaType.DOCKER_LAYER_FOREIGN_GZIP));
        assertTrue(MediaType.isNondistributable(MediaType.DOCKER_LAYER_FOREIGN_GZIP));
        assertEquals(MediaType.Compression.ZSTD, MediaType.compressionOf(MediaType.OCI_LAYER_ZSTD));
        assertEquals(MediaType.Compression.GZIP, MediaType.compressionOf(MediaType.DOCKER_LAYER_GZIP));
        assertEquals(MediaType.Compression.NONE, MediaType.compressionOf(MediaType.OCI_LAYER_NONDISTRIBUTABLE_TAR));
        assertEquals(MediaType.DOCKER_LAYER_GZIP, MediaType.layerType(MediaType.Compression.GZIP, true));
        assertThrows(IllegalArgumentException.class, () -> MediaType.layerType(MediaType.Compression.ZSTD, true));
        assertThrows(IllegalArgumentException.class, () -> MediaType.compressionOf(MediaType.OCI_CONFIG));
    }

    @Test
    void plainJsonKeepsKeyOrderAndRejectsGarbage() {
        Object tree = Json.read(utf8("{\"b\":1,\"a\":[true,null,\"x\"]}"));
        assertEquals("{\"b\":1,\"a\":[true,null,\"x\"]}", new String(Json.write(tree), StandardCharsets.UTF_8));
        assertTrue(Json.writePretty(tree).contains("\n"));
        assertThrows(IllegalArgumentException.class, () -> Json.read(utf8("{\"a\":")));
    }
}

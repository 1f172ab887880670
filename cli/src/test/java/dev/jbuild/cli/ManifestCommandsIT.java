package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.CredentialSource;
import dev.jbuild.registry.FetchedManifest;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.registry.testing.LocalRegistry;
import dev.jbuild.registry.testing.MemoryContent;
import dev.jbuild.registry.testing.SkopeoSupport;
import dev.jbuild.store.OciLayout;
import dev.jbuild.store.Store;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbuild manifest create/add/remove/annotate/inspect/push} round trips against a real docker-registry. */
class ManifestCommandsIT {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64");
    private static final Platform ARM_V7 = Platform.parse("linux/arm/v7");

    @TempDir
    static Path shared;
    static LocalRegistry registry;
    static Descriptor ociAmd64;
    static Descriptor dockerArm64;
    static Descriptor ociArmV7;
    static Descriptor upstreamIndex;

    @TempDir
    Path dir;

    @BeforeAll
    static void pushImages() throws Exception {
        LocalRegistry.assumeInstalled();
        registry = LocalRegistry.open(Files.createDirectories(shared.resolve("registry")));
        MemoryContent content = new MemoryContent();
        ociAmd64 = content.image("amd64", AMD64, 1, 10_000, 31);
        dockerArm64 = dockerImage(content, "arm64", ARM64);
        ociArmV7 = content.image("armv7", ARM_V7, 1, 10_000, 32);
        upstreamIndex = content.index("multi", List.of(ociAmd64.withPlatform(AMD64), ociArmV7.withPlatform(ARM_V7)));
        try (Registry client = client()) {
            for (String tag : List.of("amd64", "arm64", "armv7", "multi")) {
                new ContentCopy(content, client.repository(Reference.parse(image("app:" + tag))), null, 4, null)
                        .copy(tag, tag);
            }
        }
    }

    /** A Docker schema 2 image: Docker media types for manifest, config and layer, and an arm64 variant in its config. */
    private static Descriptor dockerImage(MemoryContent content, String tag, Platform platform) throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        byte[] file = ("hello from " + platform + "\n").getBytes(StandardCharsets.UTF_8);
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            TarArchiveEntry entry = new TarArchiveEntry("hello.txt");
            entry.setSize(file.length);
            out.putArchiveEntry(entry);
            out.write(file);
            out.closeArchiveEntry();
        }
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(tar.toByteArray());
        }
        Descriptor layer = content.put(MediaType.DOCKER_LAYER_GZIP, gzipped.toByteArray());
        String config = "{\"architecture\":\"" + platform.architecture() + "\",\"os\":\"linux\",\"variant\":\"v8\","
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.sha256(tar.toByteArray()) + "\"]},"
                + "\"config\":{}}";
        Descriptor configDescriptor = content.put(MediaType.DOCKER_CONFIG, config.getBytes(StandardCharsets.UTF_8));
        Descriptor manifest = content.put(MediaType.DOCKER_MANIFEST,
                Manifest.of(true, configDescriptor, List.of(layer)).toJson());
        content.tag(tag, manifest);
        return manifest;
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private static Registry client() {
        return new Registry(RegistryOptions.defaults().withCredentials(CredentialSource.ANONYMOUS));
    }

    private static String image(String name) {
        return registry.host() + "/" + name;
    }


    private CliRun jbuild(String... args) {
        List<String> all = new ArrayList<>(List.of("--root", dir.resolve("store").toString()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private CliRun ok(String... args) {
        CliRun run = jbuild(args);
        assertEquals(0, run.exitCode(), () -> String.join(" ", args) + ": " + run.err() + run.out());
        return run;
    }

    private Index storedList(String name) throws Exception {
        Store store = Store.open(dir.resolve("store"));
        return Index.parse(store.readAll(store.resolve(name)));
    }

    @Test
    void aListMixingOciAndDockerImagesRoundTripsThroughTheRegistry() throws Exception {
        ok("pull", "-q", image("app:amd64"));
        ok("manifest", "create", "mixed:v1", image("app:amd64"), image("app:arm64"));
        Index list = storedList("mixed:v1");
        assertEquals(MediaType.OCI_INDEX, list.mediaType());
        assertEquals(List.of(ociAmd64.digest(), dockerArm64.digest()),
                list.manifests().stream().map(Descriptor::digest).toList());
        assertEquals(List.of(MediaType.OCI_MANIFEST, MediaType.DOCKER_MANIFEST),
                list.manifests().stream().map(Descriptor::mediaType).toList());
        assertEquals(List.of("linux/amd64", "linux/arm64/v8"),
                list.manifests().stream().map(d -> d.platform().format()).toList(),
                "each entry carries the platform from its image's config");

        ok("manifest", "annotate", "mixed:v1", dockerArm64.digest().toString(), "--annotation", "org.example.note=arm",
                "--os-version", "6.1");
        Descriptor annotated = storedList("mixed:v1").manifests().get(1);
        assertEquals("arm", annotated.annotations().get("org.example.note"));
        assertEquals("6.1", annotated.platform().osVersion());

        CliRun inspectLocal = ok("manifest", "inspect", "mixed:v1");
        Store store = Store.open(dir.resolve("store"));
        Digest listDigest = store.resolve("mixed:v1").digest();
        assertEquals(listDigest, Digest.sha256(inspectLocal.out().strip().getBytes(StandardCharsets.UTF_8)));

        ok("manifest", "push", "-q", "mixed:v1", image("mixed:v1"));
        try (Registry client = client()) {
            FetchedManifest pushed = client.pullRepository(Reference.parse(image("mixed:v1"))).manifest("v1");
            assertEquals(listDigest, pushed.descriptor().digest());
            assertEquals(MediaType.OCI_INDEX, pushed.descriptor().mediaType());
            FetchedManifest arm = client.pullRepository(Reference.parse(image("mixed:v1")))
                    .manifest(dockerArm64.digest().toString());
            assertEquals(MediaType.DOCKER_MANIFEST, arm.descriptor().mediaType(), "entries are pushed before the list");
        }
        CliRun inspectRemote = run("manifest", "inspect", image("mixed:v1"));
        assertEquals(0, inspectRemote.exitCode(), inspectRemote.err());
        assertEquals(listDigest, Digest.sha256(inspectRemote.out().strip().getBytes(StandardCharsets.UTF_8)));

        Path other = dir.resolve("other-store");
        CliRun pullArm = run("--root", other.toString(), "pull", "-q", "--platform", "linux/arm64", image("mixed:v1"));
        assertEquals(0, pullArm.exitCode(), pullArm.err());
        assertEquals(dockerArm64.digest(), Store.open(other).resolve(image("mixed:v1")).digest(),
                "arm64 matches the linux/arm64/v8 entry");
        CliRun pullAll = run("--root", other.toString(), "pull", "-q", "--all-platforms", image("mixed:v1"));
        assertEquals(0, pullAll.exitCode(), pullAll.err());
        assertEquals(listDigest, Store.open(other).resolve(image("mixed:v1")).digest());
    }

    @Test
    void skopeoReadsAndCopiesAPushedList() throws Exception {
        SkopeoSupport.assumeInstalled();
        ok("manifest", "create", "--format", "docker", "dl:v1", image("app:amd64"), image("app:arm64"));
        Index list = storedList("dl:v1");
        assertEquals(MediaType.DOCKER_MANIFEST_LIST, list.mediaType());
        ok("manifest", "push", "-q", "dl:v1", image("dl:v1"));
        String raw = SkopeoSupport.run("inspect", "--tls-verify=false", "--raw", "docker://" + image("dl:v1"));
        assertEquals(Store.open(dir.resolve("store")).resolve("dl:v1").digest(),
                Digest.sha256(raw.strip().getBytes(StandardCharsets.UTF_8)));
        String arm = SkopeoSupport.run("inspect", "--tls-verify=false", "--override-arch", "arm64",
                "docker://" + image("dl:v1"));
        assertTrue(arm.contains("\"Architecture\": \"arm64\""), arm);
        Path layout = dir.resolve("layout");
        SkopeoSupport.run("copy", "--src-tls-verify=false", "--all", "docker://" + image("dl:v1"), "oci:" + layout + ":t");
        assertEquals(2, Index.parse(OciLayout.open(layout).readAll(OciLayout.open(layout).resolve("t")))
                .manifests().size());
    }

    @Test
    void addPicksFromListsRemoveTakesOutAndCreateRefusesToOverwrite() throws Exception {
        ok("manifest", "create", "edit:v1");
        assertEquals(List.of(), storedList("edit:v1").manifests());
        ok("manifest", "add", "--platform", "linux/arm/v7", "edit:v1", image("app:multi"));
        assertEquals(List.of(ociArmV7.digest()), storedList("edit:v1").manifests().stream().map(Descriptor::digest).toList());
        assertEquals("linux/arm/v7", storedList("edit:v1").manifests().getFirst().platform().format(),
                "the platform comes from the upstream index's descriptor");
        ok("manifest", "add", "--all", "--annotation", "source=multi", "edit:v1", image("app:multi"));
        Index both = storedList("edit:v1");
        assertEquals(List.of(ociArmV7.digest(), ociAmd64.digest()), both.manifests().stream().map(Descriptor::digest).toList(),
                "an entry already in the list is replaced in place, not duplicated");
        assertEquals("multi", both.manifests().get(1).annotations().get("source"));

        ok("manifest", "remove", "edit:v1", ociArmV7.digest().toString());
        assertEquals(List.of(ociAmd64.digest()), storedList("edit:v1").manifests().stream().map(Descriptor::digest).toList());
        ok("manifest", "remove", "edit:v1", image("app:amd64"));
        assertEquals(List.of(), storedList("edit:v1").manifests());

        CliRun missing = jbuild("manifest", "remove", "edit:v1", ociArmV7.digest().toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("is not in the manifest list edit:v1 (it has: nothing)"), missing.err());
        CliRun again = jbuild("manifest", "create", "edit:v1");
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("--amend"), again.err());
        ok("manifest", "create", "--amend", "edit:v1", image("app:armv7"));
        assertEquals(1, storedList("edit:v1").manifests().size());
        CliRun format = jbuild("manifest", "create", "--format", "v1", "x:v1");
        assertEquals(2, format.exitCode());
        assertTrue(format.err().contains("--format must be oci or docker"), format.err());
        CliRun badAnnotation = jbuild("manifest", "annotate", "edit:v1", ociArmV7.digest().toString(), "--annotation", "novalue");
        assertEquals(2, badAnnotation.exitCode());
        assertTrue(badAnnotation.err().contains("KEY=VALUE"), badAnnotation.err());
    }

    @Test
    void listCommandsRefuseASingleImage() throws Exception {
        ok("pull", "-q", image("app:amd64"));
        CliRun add = jbuild("manifest", "add", image("app:amd64"), image("app:arm64"));
        assertEquals(2, add.exitCode());
        assertTrue(add.err().contains("is an image, not a manifest list"), add.err());
        CliRun push = jbuild("manifest", "push", image("app:amd64"));
        assertEquals(2, push.exitCode());
        assertFalse(push.out().contains("pushed"));
    }
}

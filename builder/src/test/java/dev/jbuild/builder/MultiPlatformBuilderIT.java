package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.registry.testing.LocalRegistry;
import dev.jbuild.runtime.Emulation;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two-platform builds (amd64 and arm64 under qemu-user-static emulation) into the store, as root. */
class MultiPlatformBuilderIT {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64");
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;

    @TempDir
    Path tmp;
    private Store store;
    private Path context;
    private final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void emulationAndContext() throws IOException {
        MultiPlatformPeers.requireArm64Emulation();
        store = Store.open(tmp.resolve("store"));
        context = MultiPlatformPeers.busyboxContext(tmp.resolve("context"));
    }

    /** Removes the store, whose busybox symlinks point outside, without JUnit's warning about each. */
    @AfterEach
    void removeTrees() throws IOException {
        BusyboxImage.deleteChildren(tmp);
    }

    private BuildRequest.Builder request(String testCase) {
        return BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .dockerfile(new BuildRequest.DockerfileSource.File(MultiPlatformPeers.CASES.resolve(testCase).resolve("Dockerfile")))
                .progress(events::add);
    }

    private Emulation noEmulation() throws IOException {
        return Emulation.probe(Files.createDirectories(tmp.resolve("unmounted-binfmt_misc")),
                Files.createDirectories(tmp.resolve("no-binfmt.d")), Platform.current());
    }

    private MultiPlatformResult buildBusybox(String tag, int parallelism) throws BuildException, IOException {
        return MultiPlatformBuilder.create(store, RegistryOptions.defaults())
                .build(request("busybox").tag(tag).build(), List.of(AMD64, ARM64), parallelism);
    }

    private BuiltImage image(Descriptor manifest) throws IOException {
        return BuiltImage.read(store, manifest.digest().toString(), tmp);
    }

    @Test
    void eachPlatformIsBuiltWithItsOwnArgsAndRunStepsAndTheIndexListsThem() throws Exception {
        MultiPlatformResult result = buildBusybox("mp/busybox:test", 2);

        assertEquals(result.index(), store.resolve("mp/busybox:test"));
        Index index = Index.parse(store.readAll(result.index()));
        assertEquals(MediaType.OCI_INDEX, index.mediaType());
        assertEquals(List.of("linux/amd64", "linux/arm64"), index.manifests().stream().map(d -> d.platform().format()).toList());
        assertEquals(List.of(result.images().get(AMD64).imageDigest(), result.images().get(ARM64).imageDigest()),
                index.manifests().stream().map(Descriptor::digest).toList());

        BuiltImage arm = image(index.manifests().get(1));
        assertEquals("arm64", arm.config().architecture());
        assertEquals(EM_AARCH64, MultiPlatformPeers.elfMachine(arm.tree().resolve("bin/busybox")),
                "COPY busybox-${TARGETARCH} took the arm64 program");
        assertEquals("aarch64\n", arm.file("etc/built-on-machine"), "RUN ran the arm64 program under emulation");
        assertEquals("linux/arm64\n", arm.file("etc/target-platform"));
        BuiltImage amd = image(index.manifests().get(0));
        assertEquals(EM_X86_64, MultiPlatformPeers.elfMachine(amd.tree().resolve("bin/busybox")));
        assertEquals("x86_64\n", amd.file("etc/built-on-machine"));
        assertTrue(events.stream().anyMatch(e -> e instanceof BuildEvent.StepStarted s
                && s.name().startsWith("[linux/arm64 ")), "progress names the platform of each step: " + events);
    }

    @Test
    void aBuildPlatformStageRunsNativelyAndTheBaseIsResolvedPerPlatformWithoutEmulation() throws Exception {
        buildBusybox("mp/base:test", 2);
        MultiPlatformResult result = MultiPlatformBuilder.create(store, RegistryOptions.defaults(), noEmulation())
                .build(request("cross").buildArg("BASE", "mp/base:test").tag("mp/cross:test").format(ImageFormat.DOCKER)
                        .build(), List.of(AMD64, ARM64), 2);

        Index index = Index.parse(store.readAll(result.index()));
        assertEquals(MediaType.DOCKER_MANIFEST_LIST, index.mediaType());
        assertEquals(List.of(MediaType.DOCKER_MANIFEST, MediaType.DOCKER_MANIFEST),
                index.manifests().stream().map(Descriptor::mediaType).toList());
        BuiltImage arm = image(index.manifests().get(1));
        assertEquals("built on linux/amd64 (x86_64) for linux/arm64\n", arm.file("etc/report"),
                "the FROM --platform=$BUILDPLATFORM stage ran on this host, with the target's args");
        assertEquals(EM_AARCH64, MultiPlatformPeers.elfMachine(arm.tree().resolve("bin/busybox")),
                "the final stage's base was the arm64 image of the base index");
        assertEquals("built on linux/amd64 (x86_64) for linux/amd64\n", image(index.manifests().get(0)).file("etc/report"));
    }

    @Test
    void aStageOnTheBuildPlatformWithoutTargetArgsRunsOnceForAllPlatforms() throws Exception {
        buildBusybox("mp/base:test", 2);
        String dockerfile = """
                ARG BASE
                FROM --platform=$BUILDPLATFORM ${BASE} AS tools
                RUN uname -m > /built-on && cat /proc/sys/kernel/random/uuid > /run-id
                FROM ${BASE}
                COPY --from=tools /built-on /run-id /
                """;
        events.clear();
        MultiPlatformResult result = MultiPlatformBuilder.create(store, RegistryOptions.defaults())
                .build(request("busybox").dockerfile(new BuildRequest.DockerfileSource.Text(dockerfile))
                        .buildArg("BASE", "mp/base:test").build(), List.of(AMD64, ARM64), 2);

        BuiltImage amd = image(result.images().get(AMD64).manifest());
        BuiltImage arm = image(result.images().get(ARM64).manifest());
        assertEquals("x86_64\n", arm.file("built-on"));
        assertEquals(amd.file("run-id"), arm.file("run-id"), "both platforms took the one run of the shared stage");
        assertEquals(1, events.stream().filter(e -> e instanceof BuildEvent.StepStarted s && s.name().contains("RUN uname"))
                .map(e -> ((BuildEvent.StepStarted) e).step())
                .filter(step -> events.stream().noneMatch(e -> e instanceof BuildEvent.StepCached c && c.step() == step))
                .count(), "the RUN ran once and was cached for each platform: " + events);
    }

    @Test
    void aPushedIndexCarriesAProvenanceAttestationForEachPlatform() throws Exception {
        try (LocalRegistry registry = LocalRegistry.open(Files.createDirectories(tmp.resolve("registry")))) {
            String name = registry.host() + "/mp/attested:1";
            MultiPlatformResult result = MultiPlatformBuilder.create(store, RegistryOptions.defaults())
                    .build(request("busybox").tag(name).output(new Output.Registry())
                            .provenance(new Provenance(Provenance.Mode.MIN, Optional.empty(), false)).build(),
                            List.of(AMD64, ARM64), 2);

            try (Registry client = new Registry(RegistryOptions.defaults())) {
                ContentSource repository = client.repository(Reference.parse(name));
                Descriptor pushed = repository.resolve("1");
                assertEquals(result.exported().digest(), pushed.digest());
                Index index = Index.parse(repository.readAll(pushed));
                assertEquals(List.of("linux/amd64", "linux/arm64", "unknown/unknown", "unknown/unknown"),
                        index.manifests().stream().map(d -> d.platform().format()).toList());
                for (int platform = 0; platform < 2; platform++) {
                    Descriptor image = index.manifests().get(platform);
                    Descriptor attestation = index.manifests().get(platform + 2);
                    assertEquals(image.digest().toString(), attestation.annotations().get("vnd.docker.reference.digest"));
                    Manifest manifest = Manifest.parse(repository.readAll(attestation));
                    String statement = new String(repository.readAll(manifest.layers().getFirst()),
                            java.nio.charset.StandardCharsets.UTF_8);
                    assertTrue(statement.contains("\"sha256\":\"" + image.digest().encoded() + "\""), statement);
                    assertTrue(statement.contains("?platform=" + java.net.URLEncoder.encode(image.platform().format(),
                            java.nio.charset.StandardCharsets.UTF_8)), statement);
                }
            }
        }
    }

    @Test
    void anOciLayoutOutputHoldsTheWholeIndexWithGzipLayers() throws Exception {
        Path layoutDirectory = tmp.resolve("layout");
        MultiPlatformResult result = MultiPlatformBuilder.create(store, RegistryOptions.defaults())
                .build(request("busybox").tag("mp/layout:1").output(new Output.OciLayout(layoutDirectory, false))
                        .build(), List.of(AMD64, ARM64), 2);

        dev.jbuild.store.OciLayout layout = dev.jbuild.store.OciLayout.open(layoutDirectory);
        Descriptor root = layout.resolve("1");
        assertEquals(result.exported(), root);
        Index index = Index.parse(layout.readAll(root));
        assertEquals(List.of("linux/amd64", "linux/arm64"), index.manifests().stream().map(d -> d.platform().format()).toList());
        for (Descriptor image : index.manifests()) {
            assertTrue(Manifest.parse(layout.readAll(image)).layers().stream()
                    .allMatch(layer -> layer.mediaType().equals(MediaType.OCI_LAYER_GZIP)), image.toString());
        }
    }

    @Test
    void fileTreeOutputsHoldADirectoryPerPlatformAsBuildxWritesThem() throws Exception {
        Path local = tmp.resolve("out");
        Path tar = tmp.resolve("out.tar");
        MultiPlatformBuilder.create(store, RegistryOptions.defaults())
                .build(request("busybox").output(new Output.LocalDirectory(local)).output(new Output.Tarball(tar))
                        .provenance(new Provenance(Provenance.Mode.MIN, Optional.empty(), false)).build(),
                        List.of(AMD64, ARM64), 2);

        assertEquals(EM_X86_64, MultiPlatformPeers.elfMachine(local.resolve("linux_amd64/bin/busybox")));
        assertEquals(EM_AARCH64, MultiPlatformPeers.elfMachine(local.resolve("linux_arm64/bin/busybox")));
        assertEquals("aarch64\n", Files.readString(local.resolve("linux_arm64/etc/built-on-machine")));
        java.util.Set<String> names = new java.util.HashSet<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(tar))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        assertTrue(names.contains("linux_amd64/etc/built-on-machine") && names.contains("linux_arm64/bin/busybox"),
                names.stream().filter(name -> name.endsWith("machine")).toList().toString());
        assertTrue(names.contains("linux_amd64/provenance.json") && names.contains("linux_arm64/provenance.json"),
                "a statement per platform: " + names.stream().filter(name -> name.endsWith(".json")).toList());
        String arm = Files.readString(local.resolve("linux_arm64/provenance.json"));
        assertTrue(arm.contains("bin/busybox") && arm.contains(
                dev.jbuild.oci.Digest.sha256(local.resolve("linux_arm64/bin/busybox")).encoded()), arm);
    }

    @Test
    void aBuildThatNeedsAMissingEmulatorFailsBeforeAnythingRuns() throws IOException {
        MultiPlatformBuilder builder = MultiPlatformBuilder.create(store, RegistryOptions.defaults(), noEmulation());
        BuildException error = assertThrows(BuildException.class, () -> builder.build(
                request("busybox").tag("mp/never:test").build(), List.of(AMD64, ARM64), 2));
        assertTrue(error.getMessage().contains("building for linux/arm64, stage stage-0 runs RUN (line 8) on linux/arm64")
                && error.getMessage().contains("binfmt_misc is not mounted")
                && error.getMessage().contains("apt-get install -y qemu-user-static"), error.getMessage());
        assertEquals(List.of(), events, "no step started");
        assertThrows(StoreException.class, () -> store.resolve("mp/never:test"));
    }

    @Test
    void requestsAMultiPlatformBuildCannotServeAreRefused() throws IOException {
        MultiPlatformBuilder builder = MultiPlatformBuilder.create(store, RegistryOptions.defaults(), noEmulation());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> builder.build(
                request("busybox").build(), List.of(ARM64, Platform.parse("linux/aarch64/v8")), 1));
        assertTrue(twice.getMessage().contains("given twice"), twice.getMessage());
        IllegalArgumentException local = assertThrows(IllegalArgumentException.class, () -> builder.build(
                request("busybox").output(new Output.DockerArchive(tmp.resolve("out.tar"))).build(), List.of(AMD64, ARM64), 1));
        assertTrue(local.getMessage().contains("not supported for a multi-platform build"), local.getMessage());
        IllegalArgumentException pushWithoutTag = assertThrows(IllegalArgumentException.class, () -> builder.build(
                request("busybox").output(new Output.Registry()).build(), List.of(AMD64, ARM64), 1));
        assertTrue(pushWithoutTag.getMessage().contains("-t NAME"), pushWithoutTag.getMessage());
    }
}

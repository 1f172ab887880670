package dev.jbuild.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.registry.testing.LocalRegistry;
import dev.jbuild.store.OciLayout;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SLSA provenance attached as BuildKit stores it: an OCI index holding the image and an attestation
 * manifest about it, in an OCI layout output and in a real docker-registry, read back by skopeo; and
 * as provenance.json in file-tree outputs.
 */
class ProvenanceIT {
    private static final String DOCKERFILE = """
            FROM busybox
            ARG GREETING
            RUN --mount=type=secret,id=token echo "$GREETING" > /greeting
            CMD ["cat", "/greeting"]
            """;
    private static final String SECRET = "s3cret-value-never-written";

    @TempDir
    Path tmp;

    private Store store;
    private Path context;

    @BeforeEach
    void storeAndContext() throws IOException {
        store = BusyboxImage.storeWithBusybox(tmp);
        context = Files.createDirectories(tmp.resolve("context"));
        Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
        Files.writeString(tmp.resolve("token"), SECRET);
    }

    @AfterEach
    void removeTrees() throws IOException {
        BusyboxImage.deleteChildren(tmp);
    }

    private BuildRequest.Builder request(Provenance.Mode mode) {
        return BuildRequest.builder(new BuildRequest.Context.Directory(context))
                .tag("registry.example/team/app:1").buildArg("GREETING", "hello").label("stage", "test")
                .secret("token", tmp.resolve("token"))
                .provenance(new Provenance(mode, Optional.empty(), false));
    }

    /** The image and attestation descriptors of an exported index, and the attestation's statement. */
    private record Attested(Descriptor image, Descriptor attestation, Manifest attestationManifest, byte[] statement) {
        @SuppressWarnings("unchecked")
        Map<String, Object> predicate() {
            return (Map<String, Object>) ((Map<String, Object>) Json.read(statement)).get("predicate");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> at(String... path) {
            Map<String, Object> node = predicate();
            for (String key : path) {
                node = (Map<String, Object>) node.get(key);
            }
            return node;
        }
    }

    private static Attested read(ContentSource source, Descriptor root) throws IOException {
        assertEquals(MediaType.OCI_INDEX, root.mediaType());
        Index index = Index.parse(source.readAll(root));
        assertEquals(2, index.manifests().size(), index.toString());
        Descriptor image = index.manifests().get(0);
        Descriptor attestation = index.manifests().get(1);
        assertEquals("linux/amd64", image.platform().format());
        assertEquals("unknown/unknown", attestation.platform().format());
        assertEquals(Map.of("vnd.docker.reference.type", "attestation-manifest",
                "vnd.docker.reference.digest", image.digest().toString()), attestation.annotations());
        Manifest manifest = Manifest.parse(source.readAll(attestation));
        assertEquals(1, manifest.layers().size());
        Descriptor layer = manifest.layers().getFirst();
        assertEquals("application/vnd.in-toto+json", layer.mediaType());
        assertEquals(Map.of("in-toto.io/predicate-type", "https://slsa.dev/provenance/v1"), layer.annotations());
        return new Attested(image, attestation, manifest, source.readAll(layer));
    }

    @Test
    void maxModeRecordsTheRequestTheMaterialsAndTheDockerfileButNoSecretValue() throws Exception {
        Path layoutDirectory = tmp.resolve("layout");
        BuildResult result = Builder.create(store).build(request(Provenance.Mode.MAX)
                .output(new Output.OciLayout(layoutDirectory, false)).build());

        OciLayout layout = OciLayout.open(layoutDirectory);
        Descriptor root = layout.resolve("1");
        assertEquals(result.exported(), root, "the export, and so the metadata file, names the index");
        Attested attested = read(layout, root);
        @SuppressWarnings("unchecked")
        Map<String, Object> statement = (Map<String, Object>) Json.read(attested.statement());
        assertEquals("https://in-toto.io/Statement/v1", statement.get("_type"));
        assertEquals(List.of(Map.of("name", "pkg:docker/registry.example/team/app@1?platform=linux%2Famd64",
                "digest", Map.of("sha256", attested.image().digest().encoded()))), statement.get("subject"));

        Map<String, Object> request = attested.at("buildDefinition", "externalParameters", "request");
        assertEquals("dockerfile.v0", request.get("frontend"));
        assertEquals(Map.of("build-arg:GREETING", "hello", "label:stage", "test"), request.get("args"));
        assertEquals(List.of(Map.of("id", "token")), request.get("secrets"));
        assertEquals(Map.of("path", "Dockerfile"),
                attested.at("buildDefinition", "externalParameters").get("configSource"));
        Descriptor busybox = store.resolve("busybox:latest");
        assertEquals(List.of(Map.of("uri", "pkg:docker/busybox@latest?platform=linux%2Famd64",
                        "digest", Map.of("sha256", busybox.digest().encoded()))),
                attested.at("buildDefinition").get("resolvedDependencies"));

        Map<String, Object> metadata = attested.at("runDetails", "metadata");
        assertEquals(Map.of("request", true, "resolvedDependencies", false), metadata.get("buildkit_completeness"));
        assertEquals(false, metadata.get("buildkit_hermetic"), "its RUN step has the host's network");
        assertEquals(result.startedOn().toString(), metadata.get("startedOn"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sources = (List<Map<String, Object>>) ((Map<String, Object>)
                ((Map<String, Object>) metadata.get("buildkit_metadata")).get("source")).get("infos");
        assertEquals(DOCKERFILE, new String(Base64.getDecoder().decode((String) sources.getFirst().get("data")),
                StandardCharsets.UTF_8));
        assertFalse(new String(attested.statement(), StandardCharsets.UTF_8).contains(SECRET));

        Process skopeo = new ProcessBuilder("skopeo", "inspect", "oci:" + layoutDirectory + ":1")
                .redirectErrorStream(true).start();
        String inspected = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(skopeo.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, skopeo.exitValue(), inspected);
        assertTrue(inspected.contains("\"Architecture\": \"amd64\"") && inspected.contains("\"stage\": \"test\""),
                "skopeo reads the image's config, not the attestation's: " + inspected);
    }

    @Test
    void minModeLeavesOutBuildArgValuesSecretsAndTheDockerfile() throws Exception {
        Path layoutDirectory = tmp.resolve("layout");
        Builder.create(store).build(request(Provenance.Mode.MIN).output(new Output.OciLayout(layoutDirectory, false))
                .build());

        OciLayout layout = OciLayout.open(layoutDirectory);
        Attested attested = read(layout, layout.resolve("1"));
        Map<String, Object> request = attested.at("buildDefinition", "externalParameters", "request");
        assertEquals(Map.of(), request.get("args"));
        assertFalse(request.containsKey("secrets"));
        Map<String, Object> metadata = attested.at("runDetails", "metadata");
        assertEquals(Map.of("request", false, "resolvedDependencies", false), metadata.get("buildkit_completeness"));
        assertEquals(Map.of(), metadata.get("buildkit_metadata"));
        String text = new String(attested.statement(), StandardCharsets.UTF_8);
        assertFalse(text.contains("hello"), "no build-arg value: " + text);
    }

    @Test
    void versionV02HoldsTheSameFactsUnderV02sNames() throws Exception {
        Path layoutDirectory = tmp.resolve("layout");
        Builder.create(store).build(request(Provenance.Mode.MAX).provenance(new Provenance(Provenance.Mode.MAX,
                        Optional.of("https://ci.example/run/8"), false, Provenance.Version.V0_2, false, "provenance.json"))
                .network("none").output(new Output.OciLayout(layoutDirectory, false)).build());

        OciLayout layout = OciLayout.open(layoutDirectory);
        Index index = Index.parse(layout.readAll(layout.resolve("1")));
        Manifest manifest = Manifest.parse(layout.readAll(index.manifests().get(1)));
        Descriptor layer = manifest.layers().getFirst();
        assertEquals(Map.of("in-toto.io/predicate-type", "https://slsa.dev/provenance/v0.2"), layer.annotations());
        @SuppressWarnings("unchecked")
        Map<String, Object> statement = (Map<String, Object>) Json.read(layout.readAll(layer));
        assertEquals("https://slsa.dev/provenance/v0.2", statement.get("predicateType"));
        @SuppressWarnings("unchecked")
        Map<String, Object> predicate = (Map<String, Object>) statement.get("predicate");
        assertEquals(Map.of("id", "https://ci.example/run/8"), predicate.get("builder"));
        assertEquals("https://mobyproject.org/buildkit@v1", predicate.get("buildType"));
        Descriptor busybox = store.resolve("busybox:latest");
        assertEquals(List.of(Map.of("uri", "pkg:docker/busybox@latest?platform=linux%2Famd64",
                "digest", Map.of("sha256", busybox.digest().encoded()))), predicate.get("materials"));
        @SuppressWarnings("unchecked")
        Map<String, Object> invocation = (Map<String, Object>) predicate.get("invocation");
        assertEquals(Map.of("entryPoint", "Dockerfile"), invocation.get("configSource"));
        assertEquals(Map.of("platform", "linux/amd64"), invocation.get("environment"));
        @SuppressWarnings("unchecked")
        Map<String, Object> parameters = (Map<String, Object>) invocation.get("parameters");
        assertEquals("dockerfile.v0", parameters.get("frontend"));
        assertEquals(Map.of("build-arg:GREETING", "hello", "label:stage", "test"), parameters.get("args"));
        assertEquals(List.of(Map.of("id", "token")), parameters.get("secrets"));
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) predicate.get("metadata");
        assertEquals(Map.of("parameters", true, "environment", true, "materials", false), metadata.get("completeness"));
        assertEquals(false, metadata.get("reproducible"));
        assertTrue(((String) metadata.get("buildInvocationID")).matches("[a-z0-9]{25}"), metadata.toString());
        assertTrue(metadata.containsKey("https://mobyproject.org/buildkit@v1#metadata"), metadata.toString());
        assertEquals(true, metadata.get("https://mobyproject.org/buildkit@v1#hermetic"), "every RUN step had no network");
        assertFalse(new String(layout.readAll(layer), StandardCharsets.UTF_8).contains(SECRET));
    }

    @Test
    void inlineOnlyKeepsTheStatementOutOfFileTreesAndFilenameNamesIt() throws Exception {
        Path inline = tmp.resolve("inline");
        List<BuildEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        Builder.create(store).build(request(Provenance.Mode.MIN).provenance(new Provenance(Provenance.Mode.MIN,
                        Optional.empty(), false, Provenance.Version.V1, true, "provenance.json"))
                .output(new Output.LocalDirectory(inline)).progress(events::add).build());
        assertTrue(Files.exists(inline.resolve("greeting")));
        assertFalse(Files.exists(inline.resolve("provenance.json")), "inline-only: images only");
        assertTrue(events.contains(new BuildEvent.Message("no provenance attestation is written: neither the store nor "
                + "a docker archive carries one, and inline-only=true keeps it out of file trees")), events.toString());

        Path named = tmp.resolve("named");
        Builder.create(store).build(request(Provenance.Mode.MIN).provenance(new Provenance(Provenance.Mode.MIN,
                        Optional.empty(), false, Provenance.Version.V1, false, "slsa.json"))
                .output(new Output.LocalDirectory(named)).build());
        assertTrue(Files.exists(named.resolve("slsa.json")) && !Files.exists(named.resolve("provenance.json")));
    }

    @Test
    void aBuildWithNoOutputThatCarriesAttestationsSaysThatItWritesNone() throws Exception {
        List<BuildEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        Builder.create(store).build(request(Provenance.Mode.MIN).output(new Output.DockerArchive(tmp.resolve("image.tar")))
                .progress(events::add).build());
        assertTrue(events.contains(new BuildEvent.Message("no provenance attestation is written: neither the store nor "
                + "a docker archive carries one")), events.toString());
    }

    @Test
    void fileTreeOutputsCarryTheStatementAsProvenanceJsonAboutTheImagesFiles() throws Exception {
        Path local = Files.createDirectories(tmp.resolve("tree"));
        Files.writeString(local.resolve("kept.txt"), "the destination's own file");
        Path tar = tmp.resolve("tree.tar");
        Builder.create(store).build(request(Provenance.Mode.MIN).sourceDateEpoch(1_700_000_000L)
                .output(new Output.LocalDirectory(local)).output(new Output.Tarball(tar)).build());

        Path written = local.resolve("provenance.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
        assertEquals(1_700_000_000_000L, Files.getLastModifiedTime(written).toMillis());
        @SuppressWarnings("unchecked")
        Map<String, Object> statement = (Map<String, Object>) Json.read(Files.readAllBytes(written));
        assertEquals("https://slsa.dev/provenance/v1", statement.get("predicateType"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> subjects = (List<Map<String, Object>>) statement.get("subject");
        List<String> names = subjects.stream().map(subject -> (String) subject.get("name")).toList();
        assertEquals(names.stream().sorted().toList(), names, "a walk of the sorted tree");
        assertTrue(names.contains("bin/busybox") && names.contains("greeting"), names.toString());
        assertFalse(names.contains("kept.txt") || names.contains("provenance.json"), "only the image's files: " + names);
        assertFalse(names.stream().anyMatch(name -> name.startsWith("bin/") && !name.equals("bin/busybox")),
                "links are no subjects: " + names);
        assertTrue(subjects.contains(Map.of("name", "greeting",
                "digest", Map.of("sha256", Digest.sha256("hello\n".getBytes(StandardCharsets.UTF_8)).encoded()))),
                subjects.toString());
        assertEquals("the destination's own file", Files.readString(local.resolve("kept.txt")));

        byte[] inTar = null;
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals("provenance.json")) {
                    assertEquals(0600, entry.getMode() & 07777);
                    inTar = in.readAllBytes();
                }
            }
        }
        assertTrue(inTar != null, "the tar holds provenance.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> tarStatement = (Map<String, Object>) Json.read(inTar);
        assertEquals(statement.get("subject"), tarStatement.get("subject"), "one tree, one set of subjects");
    }

    @Test
    void aPushedImageIsAnIndexWithItsAttestationAndTheStoreKeepsTheImage() throws Exception {
        try (LocalRegistry registry = LocalRegistry.open(Files.createDirectories(tmp.resolve("registry")))) {
            String name = registry.host() + "/team/app:1";
            BuildResult result = Builder.create(store, RegistryOptions.defaults()).build(
                    BuildRequest.builder(new BuildRequest.Context.Directory(context)).tag(name)
                            .buildArg("GREETING", "hello").secret("token", tmp.resolve("token"))
                            .provenance(new Provenance(Provenance.Mode.MIN, Optional.of("https://ci.example/run/7"), true))
                            .output(new Output.Registry()).output(new Output.OciLayout(tmp.resolve("layout"), false))
                            .build());

            assertEquals(result.manifest(), store.resolve(name), "the store's tag names the image itself");
            try (Registry client = new Registry(RegistryOptions.defaults())) {
                ContentSource repository = client.repository(Reference.parse(name));
                Descriptor pushed = repository.resolve("1");
                assertEquals(result.exported().digest(), pushed.digest());
                assertEquals(pushed.digest(), OciLayout.open(tmp.resolve("layout")).resolve("1").digest(),
                        "both outputs carry the one attestation of the build");
                Attested attested = read(repository, pushed);
                assertEquals(Map.of("id", "https://ci.example/run/7"), attested.at("runDetails", "builder"));
                assertEquals(true, attested.at("runDetails", "metadata").get("buildkit_reproducible"));
                Manifest image = Manifest.parse(repository.readAll(attested.image()));
                assertTrue(image.layers().stream().allMatch(layer -> layer.mediaType().equals(MediaType.OCI_LAYER_GZIP)),
                        "the attested manifest is the pushed one, with gzip layers");
            }
        }
    }
}

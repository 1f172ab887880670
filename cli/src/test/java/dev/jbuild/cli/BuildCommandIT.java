package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.store.DockerArchiveSource;
import dev.jbuild.store.OciLayout;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbuild build} end to end: a FROM-scratch busybox image with RUN steps, its outputs and exit codes. */
class BuildCommandIT {

    @TempDir
    Path tmp;

    private Path context;

    @BeforeEach
    void context() throws IOException {
        context = BusyboxContext.create(tmp);
        Files.writeString(context.resolve("Dockerfile"), BusyboxContext.BASE + """
                ARG WHO=world
                RUN echo "hello $WHO" > /hello
                CMD ["cat", "/hello"]
                """);
    }

    /** Removes what the test made, without JUnit's warnings about the busybox symlinks that point outside. */
    @AfterEach
    void removeTrees() throws IOException {
        BusyboxContext.deleteChildren(tmp);
    }

    @Test
    void buildsTagsAndWritesEveryOutput() throws IOException {
        Path store = tmp.resolve("store");
        Path local = tmp.resolve("rootfs");
        Path oci = tmp.resolve("image.oci.tar");
        Path archive = tmp.resolve("image.docker.tar");
        CliRun run = CliRun.of("--root", store.toString(), "build", "--progress", "plain", "-t", "hello:1", "-t", "hello:latest",
                "--build-arg", "WHO=jbuild", "--label", "org.example=yes", "--iidfile", tmp.resolve("iid").toString(),
                "--metadata-file", tmp.resolve("metadata.json").toString(), "-o", "type=local,dest=" + local,
                "--output", "type=oci,dest=" + oci, "--output", "type=docker,dest=" + archive, context.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("#1 [stage-0 1/6] FROM scratch"), run.err());
        assertTrue(run.err().contains("RUN echo \"hello $WHO\" > /hello"), run.err());
        assertTrue(run.err().contains("naming to docker.io/library/hello:1 done"), run.err());
        String imageId = Files.readString(tmp.resolve("iid"));
        assertEquals(imageId, run.out().strip());
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) Json.read(Files.readAllBytes(tmp.resolve("metadata.json")));
        assertEquals(imageId, metadata.get("containerimage.config.digest"));
        assertEquals("docker.io/library/hello:1,docker.io/library/hello:latest", metadata.get("image.name"));
        assertEquals("hello jbuild\n", Files.readString(local.resolve("hello")));
        assertTrue(Files.size(oci) > 0 && Files.size(archive) > 0);

        CliRun cached = CliRun.of("--root", store.toString(), "build", "--progress", "plain", "-t", "hello:1",
                "--build-arg", "WHO=jbuild", "--label", "org.example=yes", context.toString());
        assertEquals(0, cached.exitCode(), cached.err());
        assertEquals(5, cached.err().lines().filter(line -> line.endsWith(" CACHED")).count(), cached.err());
        assertEquals(imageId, cached.out().strip(), "a cached rebuild gives the same image");
    }

    @Test
    void aTarOfTheFileTreeGoesToStandardOutputOrAFile() throws IOException {
        Path store = tmp.resolve("store");
        CliRun piped = CliRun.of("--root", store.toString(), "build", "--progress", "plain", "-o", "-",
                context.toString());
        assertEquals(0, piped.exitCode(), piped.err());
        assertTrue(piped.err().contains("exporting file tree as a tar to standard output"), piped.err());
        assertTrue(piped.err().lines().reduce((first, second) -> second).orElseThrow().startsWith("sha256:"),
                "the image ID goes to standard error: " + piped.err());
        Map<String, TarArchiveEntry> entries = new java.util.HashMap<>();
        Map<String, String> texts = new java.util.HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new java.io.ByteArrayInputStream(piped.stdout()))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                entries.put(entry.getName(), entry);
                if (entry.isFile() && entry.getSize() < 1024) {
                    texts.put(entry.getName(), new String(tar.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals("hello world\n", texts.get("hello"), "standard output holds the tar and nothing else");
        assertTrue(entries.get("bin/busybox").isFile(), entries.keySet().toString());
        assertEquals(0, entries.get("hello").getLongUserId());
        assertTrue(entries.keySet().stream().noneMatch(name -> name.contains(".wh.")), "a file tree has no whiteouts");

        Path file = tmp.resolve("rootfs.tar");
        CliRun toFile = CliRun.of("--root", store.toString(), "build", "--progress", "plain", "--output",
                "type=tar,dest=" + file, context.toString());
        assertEquals(0, toFile.exitCode(), toFile.err());
        assertTrue(java.util.Arrays.equals(piped.stdout(), Files.readAllBytes(file)), "the same tree gives the same tar");
        assertTrue(toFile.out().startsWith("sha256:"), "the image ID is on standard output when the tar is not");
    }

    @Test
    void builtLayersStayUncompressedInTheStoreAndLeaveItAsGzip() throws IOException {
        Path root = tmp.resolve("store");
        Path metadataFile = tmp.resolve("metadata.json");
        CliRun build = CliRun.of("--root", root.toString(), "build", "--progress", "plain", "-t", "hello:1",
                "--metadata-file", metadataFile.toString(), "--output", "type=oci,dest=" + tmp.resolve("image.oci.tar"),
                context.toString());
        assertEquals(0, build.exitCode(), build.err());
        Store store = Store.open(root);
        assertEquals(Set.of(MediaType.OCI_LAYER_TAR), layerTypes(store, store.resolve("hello:1")));
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) Json.read(Files.readAllBytes(metadataFile));
        String exported = (String) metadata.get("containerimage.digest");
        assertTrue(build.err().contains("exported with gzip layers as " + exported), build.err());
        assertTrue(build.err().contains("compressing layer sha256:"), build.err());
        int named = build.err().indexOf("#0 naming to docker.io/library/hello:1 done");
        int exporting = build.err().indexOf("#0 exporting OCI layout");
        assertTrue(named >= 0 && named < exporting && exporting < build.err().indexOf("#0 exported with gzip layers"),
                "the image is written and named, then exported, as BuildKit orders it: " + build.err());

        Path layoutDirectory = tmp.resolve("layout");
        CliRun copy = CliRun.of("--root", root.toString(), "copy", "--progress", "plain", "hello:1",
                "oci:" + layoutDirectory + ":v1");
        assertEquals(0, copy.exitCode(), copy.err());
        assertTrue(!copy.err().contains("compressing") && !copy.out().contains("compressing"),
                "the build's export already compressed every layer: " + copy.err());
        OciLayout layout = OciLayout.open(layoutDirectory);
        Descriptor copied = layout.resolve("v1");
        assertEquals(exported, copied.digest().toString(), "every export compresses to the same bytes");
        assertEquals(Set.of(MediaType.OCI_LAYER_GZIP), layerTypes(layout, copied));

        CliRun prune = CliRun.of("--root", root.toString(), "prune", "--all");
        assertEquals(0, prune.exitCode(), prune.err());
        Path again = tmp.resolve("again");
        CliRun recompress = CliRun.of("--root", root.toString(), "copy", "--progress", "plain", "hello:1", "oci:" + again + ":v1");
        assertEquals(0, recompress.exitCode(), recompress.err());
        assertTrue((recompress.err() + recompress.out()).contains("compressing"), "prune removed the gzip copies: "
                + recompress.err());
        assertEquals(exported, OciLayout.open(again).resolve("v1").digest().toString(), "compressed to the same bytes");

        Path archive = tmp.resolve("image.docker.tar");
        CliRun save = CliRun.of("--root", root.toString(), "copy", "hello:1", "docker-archive:" + archive + ":hello:1");
        assertEquals(0, save.exitCode(), save.err());
        try (DockerArchiveSource source = DockerArchiveSource.open(archive)) {
            assertEquals(Set.of(MediaType.OCI_LAYER_TAR), layerTypes(source, source.resolve("hello:1")),
                    "a docker archive keeps them uncompressed, as docker save does");
        }
    }

    private static Set<String> layerTypes(ContentSource source, Descriptor manifest) throws IOException {
        return Manifest.parse(source.readAll(manifest)).layers().stream().map(Descriptor::mediaType)
                .collect(Collectors.toSet());
    }

    @Test
    void failingStepExitsOneNamingTheLine() throws IOException {
        Files.writeString(context.resolve("Dockerfile"), """
                FROM scratch
                COPY bin/busybox /bin/busybox
                RUN ["/bin/busybox", "sh", "-c", "echo doomed; exit 7"]
                """);
        CliRun run = CliRun.of("--root", tmp.resolve("store").toString(), "build", "--progress", "plain", context.toString());
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("error: line 3: process"), run.err());
        assertTrue(run.err().contains("exit code 7"), run.err());
        assertTrue(run.err().contains("doomed"), run.err());
    }

    @Test
    void quietPrintsOnlyTheImageIdOrTheFailedStep() throws IOException {
        Path store = tmp.resolve("store");
        CliRun run = CliRun.of("--root", store.toString(), "build", "-q", "--iidfile", tmp.resolve("iid").toString(),
                context.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        assertEquals(Files.readString(tmp.resolve("iid")) + "\n", run.out());

        Files.writeString(context.resolve("Dockerfile"), BusyboxContext.BASE + "RUN echo doomed; exit 7\n");
        CliRun failed = CliRun.of("--root", store.toString(), "build", "--quiet", context.toString());
        assertEquals(1, failed.exitCode(), failed.err());
        assertEquals("", failed.out());
        List<String> lines = failed.err().lines().toList();
        assertTrue(lines.getFirst().matches("#\\d+ \\[stage-0 \\d+/\\d+\\] RUN echo doomed; exit 7"), failed.err());
        assertTrue(lines.get(1).matches("#\\d+ \\d+\\.\\d{3} doomed"), failed.err());
        assertTrue(lines.get(2).matches("#\\d+ ERROR: .*exit code 7.*"), failed.err());
        assertTrue(lines.get(3).startsWith("error: line "), failed.err());
    }

    @Test
    void aSecondStoreBuildsFromTheCacheTheFirstExported() throws IOException {
        Path cache = tmp.resolve("cache");
        CliRun first = CliRun.of("--root", tmp.resolve("first").toString(), "build", "--progress", "plain",
                "--cache-to", "type=local,dest=" + cache + ",mode=max", "--build-arg", "WHO=cache", context.toString());
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.err().contains("exported cache to " + cache + ":latest as sha256:"), first.err());

        CliRun second = CliRun.of("--root", tmp.resolve("second").toString(), "build", "--progress", "plain",
                "--cache-from", "type=local,src=" + cache, "--build-arg", "WHO=cache", context.toString());
        assertEquals(0, second.exitCode(), second.err());
        assertEquals(first.out(), second.out(), "the same image, with nothing run again");
        assertTrue(second.err().lines().noneMatch(line -> line.contains(" cache miss: ")), second.err());

        CliRun unsupported = CliRun.of("--root", tmp.resolve("first").toString(), "build", "--cache-to", "type=gha",
                context.toString());
        assertEquals(2, unsupported.exitCode(), unsupported.err());
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliRun run = CliRun.of("--root", tmp.resolve("store").toString(), "build", "-o", "type=floppy,dest=x", context.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("unknown --output type \"floppy\""), run.err());
    }

    @Test
    void flagsScriptsPassForDockerAndBuildxAreAcceptedAndAnSbomIsRefused() throws IOException {
        String store = tmp.resolve("store").toString();
        CliRun accepted = CliRun.of("--root", store, "build", "--progress", "plain", "--load", "--force-rm",
                "--provenance=false", "--sbom=false", "--attest", "type=sbom,disabled=true", "-t", "hello:1",
                "--rm", context.toString());
        assertEquals(0, accepted.exitCode(), accepted.err());
        assertTrue(accepted.out().startsWith("sha256:"), accepted.out());

        Path layout = tmp.resolve("layout");
        CliRun attested = CliRun.of("--root", store, "build", "--progress", "plain", "-t", "hello:1",
                "-o", "type=oci,tar=false,dest=" + layout, "--provenance", context.toString());
        assertEquals(0, attested.exitCode(), attested.err());
        Descriptor root = OciLayout.open(layout).resolve("1");
        assertEquals(MediaType.OCI_INDEX, root.mediaType(), "--provenance alone takes no value: the context follows it");
        assertEquals(2, dev.jbuild.oci.Index.parse(OciLayout.open(layout).readAll(root)).manifests().size());

        for (List<String> asking : List.of(List.of("--sbom"), List.of("--sbom=true"), List.of("--attest", "type=sbom"))) {
            List<String> arguments = new java.util.ArrayList<>(List.of("--root", store, "build", "--progress", "plain"));
            arguments.addAll(asking);
            arguments.add(context.toString());
            CliRun refused = CliRun.of(arguments.toArray(String[]::new));
            assertEquals(2, refused.exitCode(), asking + ": " + refused.err());
            assertTrue(refused.err().contains("jbuild writes no SBOM attestation"), refused.err());
            assertTrue(!refused.err().contains("#1 "), "refused before the build starts: " + refused.err());
        }
        CliRun unknownVersion = CliRun.of("--root", store, "build", "--provenance=version=v0.3", context.toString());
        assertEquals(2, unknownVersion.exitCode(), unknownVersion.err());
        assertTrue(unknownVersion.err().contains("version is v1 or v0.2"), unknownVersion.err());
    }

    @Test
    void callTellsTheTargetsAndTheOutlineWithoutBuilding() throws IOException {
        Files.writeString(context.resolve("Dockerfile"), BusyboxContext.BASE + """
                # WHO is who gets greeted
                ARG WHO=world
                RUN --mount=type=secret,id=token echo "hello $WHO" > /hello
                """);
        String store = tmp.resolve("store").toString();
        CliRun targets = CliRun.of("--root", store, "build", "--call", "targets", context.toString());
        assertEquals(0, targets.exitCode(), targets.err());
        assertEquals("TARGET      DESCRIPTION", targets.out().lines().findFirst().orElseThrow().strip());
        assertTrue(targets.out().contains("(default)"), targets.out());

        CliRun outline = CliRun.of("--root", store, "build", "--call", "outline", "--build-arg", "WHO=jbuild",
                context.toString());
        assertEquals(0, outline.exitCode(), outline.err());
        assertTrue(outline.out().lines().anyMatch(line -> line.matches("WHO +jbuild +is who gets greeted")), outline.out());
        assertTrue(outline.out().lines().anyMatch(line -> line.matches("token +false")), outline.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.read(CliRun.of("--root", store, "build", "--call",
                "outline,format=json", context.toString()).stdout());
        assertEquals(List.of(Map.of("name", "WHO", "value", "world", "description", "is who gets greeted")),
                json.get("args"));
        assertEquals(Map.of(), Store.open(tmp.resolve("store")).tags(), "nothing was built");

        CliRun unknown = CliRun.of("--root", store, "build", "--call", "lint-everything", context.toString());
        assertEquals(2, unknown.exitCode(), unknown.err());
        assertTrue(unknown.err().contains("expected build, check, outline or targets"), unknown.err());
    }

    @Test
    void aGitUrlIsReadAsARemoteContext() {
        CliRun run = CliRun.of("--root", tmp.resolve("store").toString(), "build", "--progress", "plain",
                "git://127.0.0.1:1/nothing.git#main:app");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("error: build context git://127.0.0.1:1/nothing.git#main:app: git ls-remote failed"),
                "fetched with git, not looked for as a directory: " + run.err());
    }

    @Test
    void unreachableBaseImageIsARegistryError() throws IOException {
        Files.writeString(context.resolve("Dockerfile"), "FROM localhost:1/nothing:1\nRUN true\n");
        CliRun run = CliRun.of("--root", tmp.resolve("store").toString(), "build", "--progress", "plain", context.toString());
        assertEquals(3, run.exitCode(), run.err());
        assertTrue(run.err().contains("error: line 1: localhost:1/nothing:1"), run.err());
    }
}

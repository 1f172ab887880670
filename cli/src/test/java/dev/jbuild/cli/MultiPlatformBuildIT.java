package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.registry.testing.LocalRegistry;
import dev.jbuild.registry.testing.SkopeoSupport;
import dev.jbuild.runtime.testing.TestdataScripts;
import dev.jbuild.store.OciLayout;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jbuild --platform linux/amd64,linux/arm64 -t NAME --push}: a RUN step under qemu emulation, pushed to
 * a real docker-registry, and read back by skopeo, umoci and file, as a user of the image would.
 */
class MultiPlatformBuildIT {
    private static final Path CASES = Path.of(System.getProperty("jbuild.testdata", "../testdata"), "multiplatform");

    @TempDir
    static Path shared;
    static LocalRegistry registry;
    static Path context;

    @TempDir
    Path dir;

    @BeforeAll
    static void emulatorsRegistryAndContext() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "builds and registering emulators need root");
        assumeTrue(Platform.current().architecture().equals("amd64"),
                "these builds emulate arm64 on an amd64 host; this host is " + Platform.current());
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs a static /bin/busybox (apt-get install busybox-static)");
        TestdataScripts.requireQemuUserStatic();
        assertEquals(0, CliRun.of("info", "--install-emulators").exitCode());
        context = Files.createDirectories(shared.resolve("context"));
        Files.copy(Path.of("/bin/busybox"), context.resolve("busybox-amd64"));
        Files.copy(TestdataScripts.arm64Busybox(), context.resolve("busybox-arm64"));
        LocalRegistry.assumeInstalled();
        registry = LocalRegistry.open(Files.createDirectories(shared.resolve("registry")));
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) {
            registry.close();
        }
        // stores hold busybox symlinks that point outside; removing them here keeps JUnit from warning about each
        BusyboxContext.deleteChildren(shared);
    }

    @AfterEach
    void removeTrees() throws IOException {
        BusyboxContext.deleteChildren(dir);
    }

    private CliRun jbuild(String... args) {
        List<String> all = new ArrayList<>(List.of("--root", dir.resolve("store").toString()));
        all.addAll(List.of(args));
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertEquals(0, run.exitCode(), () -> String.join(" ", args) + "\n" + run.err());
        return run;
    }

    private static String command(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), () -> String.join(" ", command) + ": " + out);
        return out;
    }

    @Test
    void aTwoPlatformBuildIsPushedAsAnIndexThatSkopeoUmociAndFileRead() throws Exception {
        SkopeoSupport.assumeInstalled();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/umoci")), "needs umoci (apt-get install umoci)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/file")), "needs file (apt-get install file)");
        String image = registry.host() + "/mp/busybox:v1";
        CliRun build = jbuild("--platform", "linux/amd64,linux/arm64", "-t", image, "--push", "--progress", "plain",
                "-f", CASES.resolve("busybox/Dockerfile").toString(), context.toString());
        Digest index = Digest.parse(build.out().strip());
        Digest stored = Store.open(dir.resolve("store")).resolve(image).digest();
        assertTrue(build.err().contains("[linux/arm64 ") && build.err().contains("writing index " + stored)
                && build.err().contains("exported with gzip layers as " + index), build.err());
        assertNotEquals(index, stored, "the store keeps the built layers uncompressed");

        String raw = SkopeoSupport.run("inspect", "--tls-verify=false", "--raw", "docker://" + image);
        assertEquals(index, Digest.sha256(raw.strip().getBytes(StandardCharsets.UTF_8)));
        Index pushed = Index.parse(raw.strip().getBytes(StandardCharsets.UTF_8));
        assertEquals(MediaType.OCI_INDEX, pushed.mediaType());
        assertEquals(List.of("linux/amd64", "linux/arm64"), pushed.manifests().stream().map(d -> d.platform().format()).toList());

        String arm = SkopeoSupport.run("inspect", "--tls-verify=false", "--override-arch", "arm64", "docker://" + image);
        assertTrue(arm.contains("\"Architecture\": \"arm64\""), arm);

        Path all = dir.resolve("all");
        SkopeoSupport.run("copy", "--src-tls-verify=false", "--all", "docker://" + image, "oci:" + all + ":v1");
        OciLayout copied = OciLayout.open(all);
        assertEquals(index, copied.resolve("v1").digest());

        Path armLayout = dir.resolve("arm");
        SkopeoSupport.run("copy", "--src-tls-verify=false", "--override-arch", "arm64", "docker://" + image,
                "oci:" + armLayout + ":arm64");
        Path bundle = dir.resolve("bundle");
        command("/usr/bin/umoci", "unpack", "--image", armLayout + ":arm64", bundle.toString());
        String busybox = command("/usr/bin/file", "-b", bundle.resolve("rootfs/bin/busybox").toString());
        assertTrue(busybox.contains("ARM aarch64"), busybox);
        assertEquals("aarch64\n", Files.readString(bundle.resolve("rootfs/etc/built-on-machine")),
                "the RUN step ran the arm64 busybox under emulation");
    }

    @Test
    void baseImagesComeFromTheRegistrysIndexPerPlatformAndADockerListIsPushedAfterItsImages() throws Exception {
        String base = registry.host() + "/mp/base:v1";
        jbuild("--platform", "linux/amd64,linux/arm64", "-t", base, "--push",
                "-f", CASES.resolve("busybox/Dockerfile").toString(), context.toString());
        Path freshStore = dir.resolve("fresh");
        String cross = registry.host() + "/mp/cross:v1";
        CliRun build = CliRun.of("--root", freshStore.toString(), "--platform", "linux/amd64,linux/arm64", "--format", "docker",
                "--build-arg", "BASE=" + base, "-t", cross, "--push", "--max-parallel-platforms", "1",
                "-f", CASES.resolve("cross/Dockerfile").toString(), Files.createDirectories(dir.resolve("empty")).toString());
        assertEquals(0, build.exitCode(), build.err());

        CliRun inspect = CliRun.of("--root", dir.resolve("elsewhere").toString(), "manifest", "inspect", cross);
        assertEquals(0, inspect.exitCode(), inspect.err());
        Index list = Index.parse(inspect.out().strip().getBytes(StandardCharsets.UTF_8));
        assertEquals(MediaType.DOCKER_MANIFEST_LIST, list.mediaType());
        Path armStore = dir.resolve("arm-store");
        CliRun pull = CliRun.of("--root", armStore.toString(), "pull", "-q", "--platform", "linux/arm64", cross);
        assertEquals(0, pull.exitCode(), pull.err());
        Descriptor armEntry = list.manifests().get(1);
        assertEquals(armEntry.digest(), Store.open(armStore).resolve(cross).digest());
        assertEquals("arm64", Store.open(armStore).image(cross, Platform.parse("linux/arm64")).config().architecture());
    }

    @Test
    void aTarOfEachPlatformsFileTreeGoesToStandardOutput() throws Exception {
        CliRun build = jbuild("--platform", "linux/amd64,linux/arm64", "--progress", "plain", "-o", "-",
                "-f", CASES.resolve("busybox/Dockerfile").toString(), context.toString());
        assertEquals(0, build.exitCode(), build.err());
        assertTrue(build.err().strip().lines().reduce((first, second) -> second).orElseThrow().startsWith("sha256:"),
                "the index digest goes to standard error: " + build.err());
        List<String> names = new ArrayList<>();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.io.ByteArrayInputStream(build.stdout()))) {
            for (var entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        assertTrue(names.contains("linux_amd64/bin/busybox") && names.contains("linux_arm64/bin/busybox"),
                "standard output holds one tar with a directory per platform: " + names.size() + " entries");
    }

    @Test
    void aPlatformWithoutEmulatorFailsBeforeTheBuildStartsWithTheExplanation() throws IOException {
        CliRun build = CliRun.of("--root", dir.resolve("store").toString(), "--platform", "linux/amd64,windows/amd64",
                "-t", "never:v1", "-f", CASES.resolve("busybox/Dockerfile").toString(), context.toString());
        assertEquals(1, build.exitCode());
        assertTrue(build.err().contains("building for windows/amd64") && build.err().contains("only Linux platforms"),
                build.err());
        assertTrue(!build.err().contains("#1 "), "no step ran: " + build.err());

        CliRun single = CliRun.of("--root", dir.resolve("store").toString(), "--platform", "windows/amd64", "-t", "never:v2",
                "-f", CASES.resolve("busybox/Dockerfile").toString(), context.toString());
        assertEquals(1, single.exitCode());
        assertTrue(single.err().contains("building for windows/amd64, stage stage-0 runs RUN"), single.err());
    }
}

package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.oci.ContentCopy;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.CredentialSource;
import dev.jbuild.registry.Registry;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.registry.testing.LocalRegistry;
import dev.jbuild.registry.testing.MemoryContent;
import dev.jbuild.runtime.testing.TestdataScripts;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jbuild info --install-emulators}, {@code jbuild run --platform} and {@code pull --platform} on a real host. */
class PlatformCommandsIT {
    @TempDir
    Path tmp;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int jbuild(String... args) {
        CommandLine commandLine = Main.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static void assumeRootOnAmd64() {
        assumeTrue("root".equals(System.getProperty("user.name")), "registering emulators and running containers need root");
        assumeTrue(Platform.current().architecture().equals("amd64"),
                "these tests emulate arm64 on an amd64 host; this host is " + Platform.current());
    }

    @Test
    void infoInstallsEmulatorsAndListsTheRunnablePlatforms() {
        assumeRootOnAmd64();
        TestdataScripts.requireQemuUserStatic();
        assertEquals(0, jbuild("info", "--install-emulators"), err.toString());
        String info = out.toString();
        assertTrue(info.contains("emulators: "), info);
        String platforms = info.lines().filter(l -> l.startsWith("platforms: ")).findFirst().orElseThrow();
        assertTrue(platforms.contains("linux/amd64") && platforms.contains("linux/arm64 (qemu-aarch64)")
                && platforms.contains("linux/arm/v7 (qemu-arm)"), platforms);
    }

    @Test
    void runWithAForeignPlatformRunsItsProgramsThroughTheEmulator() throws IOException {
        assumeRootOnAmd64();
        TestdataScripts.requireQemuUserStatic();
        assertEquals(0, jbuild("info", "--install-emulators"), err.toString());
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/bin"));
        Files.copy(TestdataScripts.arm64Busybox(), rootfs.resolve("busybox"));
        for (String applet : List.of("sh", "uname", "[")) {
            Files.createSymbolicLink(rootfs.resolve(applet), Path.of("busybox"));
        }
        int code = jbuild("--root", tmp.resolve("store").toString(), "run", "--rm", "--platform", "linux/arm64",
                "--rootfs", rootfs.getParent().toString(), "sh", "-c", "[ \"$(uname -m)\" = aarch64 ] && exit 42");
        assertEquals(42, code, err.toString());
    }

    @Test
    void runWithAPlatformThatCannotRunFailsBeforeStartingAndSaysWhy() throws IOException {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        int code = jbuild("--root", tmp.resolve("store").toString(), "run", "--rm", "--platform", "windows/amd64",
                "--rootfs", rootfs.toString(), "cmd.exe");
        assertEquals(125, code);
        assertTrue(err.toString().contains("program format of windows/amd64") && err.toString().contains("only Linux"),
                err.toString());
        assertTrue(!Files.exists(tmp.resolve("store/containers")), "no container was prepared");
    }

    @Test
    void pullWithAnExplicitPlatformRefusesASingleImageOfAnotherOne() throws Exception {
        LocalRegistry.assumeInstalled();
        try (LocalRegistry registry = LocalRegistry.open(Files.createDirectories(tmp.resolve("registry")));
                Registry client = new Registry(RegistryOptions.defaults().withCredentials(CredentialSource.ANONYMOUS))) {
            MemoryContent content = new MemoryContent();
            Descriptor arm = content.image("arm", Platform.parse("linux/arm64"), 1, 1_000, 5);
            String image = registry.host() + "/single:arm";
            new ContentCopy(content, client.repository(Reference.parse(image)), null, 2, null).copy("arm", "arm");
            Path store = tmp.resolve("store");

            assertEquals(1, jbuild("--root", store.toString(), "pull", "-q", "--platform", "linux/amd64", image));
            assertTrue(err.toString().contains("a single linux/arm64 image, not linux/amd64"), err.toString());
            assertEquals(0, jbuild("--root", store.toString(), "pull", "-q", "--platform", "linux/arm64/v8", image),
                    err.toString());
            assertEquals(arm.digest(), Store.open(store).resolve(image).digest());
        }
    }
}

package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.oci.Platform;
import dev.jbuild.runtime.internal.HostFacts;
import dev.jbuild.runtime.testing.TestdataScripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's real binfmt_misc as root: registering Debian's qemu-user-static and running arm64 programs through it. */
class EmulationIT {
    private static final Platform ARM64 = Platform.parse("linux/arm64");

    @TempDir
    Path tmp;

    @BeforeAll
    static void installEmulators() throws IOException {
        assumeTrue(HostFacts.effectiveUid() == 0, "mounting binfmt_misc and registering interpreters needs root");
        assumeTrue(Platform.current().architecture().equals("amd64"),
                "these tests emulate arm64 on an amd64 host; this host is " + Platform.current());
        TestdataScripts.requireQemuUserStatic();
        EmulationInstall install = Emulation.install();
        assertEquals(java.util.Map.of(), install.failed());
    }

    @Test
    void afterInstallArm64IsEmulatedWithAFixedBinaryInterpreter() throws IOException {
        Emulation emulation = Emulation.probe();
        assertTrue(emulation.mounted() && emulation.enabled());
        EmulationStatus.Emulated arm = assertInstanceOf(EmulationStatus.Emulated.class, emulation.status(ARM64));
        assertEquals("qemu-aarch64", arm.handler().name());
        assertTrue(arm.handler().fixBinary(), arm.handler().toString());
        assertTrue(emulation.runnablePlatforms().stream().map(s -> s.platform().format()).toList()
                .containsAll(List.of("linux/amd64", "linux/arm64", "linux/arm/v7", "linux/ppc64le", "linux/s390x",
                        "linux/riscv64")));
    }

    @Test
    void installingAgainRegistersNothingNew() throws IOException {
        EmulationInstall again = Emulation.install();
        assertEquals(List.of(), again.registered());
        assertTrue(again.alreadyRegistered().contains("qemu-aarch64"), again.toString());
        assertTrue(!again.mounted());
    }

    @Test
    void installMountsBinfmtMiscWhereItIsNotMounted() throws Exception {
        Path mountPoint = Files.createDirectories(tmp.resolve("binfmt_misc"));
        try {
            EmulationInstall install = Emulation.install(mountPoint, Emulation.BINFMT_D);
            assertTrue(install.mounted(), "binfmt_misc was mounted on the empty directory");
            assertTrue(Files.isRegularFile(mountPoint.resolve("status")));
            assertTrue(install.alreadyRegistered().contains("qemu-aarch64"),
                    "every mount shows the same registrations: " + install);
        } finally {
            Process umount = new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start();
            assertEquals(0, umount.waitFor());
        }
    }

    @Test
    void anArm64ProgramRunsOnTheHost() throws Exception {
        Path busybox = TestdataScripts.arm64Busybox();
        Process process = new ProcessBuilder(busybox.toString(), "uname", "-m").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        assertEquals("aarch64", out.strip());
    }

    @Test
    void anArm64ContainerRunsThroughTheInterpreterOpenedAtRegistration() throws IOException {
        Path rootfs = EmulationPeers.rootfs(tmp.resolve("rootfs"), TestdataScripts.arm64Busybox());
        ContainerRuntime runtime = ContainerRuntime.withIsolation(Isolation.ROOT);
        Rootfs.Overlay overlay = new Rootfs.Overlay(List.of(rootfs), tmp.resolve("upper"), tmp.resolve("work"));
        BusyboxRootfs.Result result = BusyboxRootfs.run(runtime, ContainerSpec.builder(overlay,
                List.of("sh", "-c", "uname -m; echo written > /root/out; cat /root/out")).build());
        assertEquals(0, result.status().exitCode(), result.stderr());
        assertEquals("aarch64\nwritten\n", result.stdout());
        assertTrue(Files.isRegularFile(tmp.resolve("upper/root/out")), "the emulated write lands in the upper directory");
    }
}

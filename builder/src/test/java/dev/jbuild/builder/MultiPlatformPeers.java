package dev.jbuild.builder;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.runtime.Emulation;
import dev.jbuild.runtime.EmulationInstall;
import dev.jbuild.runtime.testing.TestdataScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What multi-platform builds need from the machine: root, qemu-user-static registered in binfmt_misc, and a
 * context with a static busybox per architecture (the scripts of testdata/multiplatform fetch what is missing,
 * or the test is skipped with their reason).
 */
final class MultiPlatformPeers {
    static final Path CASES = Path.of(System.getProperty("jbuild.testdata", "../testdata"), "multiplatform");

    private MultiPlatformPeers() {
    }

    /** Skips unless root on amd64 with emulators registered (registering them when qemu-user-static can be had). */
    static void requireArm64Emulation() throws IOException {
        assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "builds and registering emulators need root (CI runs as root)");
        assumeTrue(dev.jbuild.oci.Platform.current().architecture().equals("amd64"),
                "these builds emulate arm64 on an amd64 host; this host is " + dev.jbuild.oci.Platform.current());
        BusyboxImage.assumeBusybox();
        TestdataScripts.requireQemuUserStatic();
        EmulationInstall install = Emulation.install();
        assumeTrue(install.failed().isEmpty(), () -> "the kernel refused emulators: " + install.failed());
    }

    /** A context directory holding busybox-amd64 and busybox-arm64, as testdata/multiplatform/busybox needs. */
    static Path busyboxContext(Path dir) throws IOException {
        Path context = Files.createDirectories(dir);
        Files.copy(BusyboxImage.BUSYBOX, context.resolve("busybox-amd64"));
        Files.copy(TestdataScripts.arm64Busybox(), context.resolve("busybox-arm64"));
        return context;
    }


    /** The ELF machine number of a program (183 aarch64, 62 x86-64), read from its header. */
    static int elfMachine(Path program) throws IOException {
        byte[] header = new byte[20];
        try (var in = Files.newInputStream(program)) {
            if (in.readNBytes(header, 0, 20) != 20 || header[0] != 0x7f || header[1] != 'E') {
                throw new IOException(program + " is not an ELF program");
            }
        }
        return (header[18] & 0xff) | (header[19] & 0xff) << 8;
    }
}

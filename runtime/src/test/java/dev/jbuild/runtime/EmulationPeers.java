package dev.jbuild.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Root filesystems for emulation tests; the qemu-user-static and arm64 busybox they need come from
 * {@link dev.jbuild.runtime.testing.TestdataScripts}.
 */
final class EmulationPeers {
    private EmulationPeers() {
    }

    /** A root filesystem whose /bin/busybox is {@code busybox}, with links for the applets tests use. */
    static Path rootfs(Path dir, Path busybox) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Files.copy(busybox, dir.resolve("bin/busybox"));
        for (String applet : new String[] {"sh", "uname", "cat", "echo", "ls"}) {
            Files.createSymbolicLink(dir.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        for (String sub : new String[] {"etc", "tmp", "proc", "sys", "dev", "root"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(dir.resolve("etc/group"), "root:x:0:\n");
        return dir;
    }
}

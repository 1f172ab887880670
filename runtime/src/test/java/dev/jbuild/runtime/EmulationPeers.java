package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What emulation tests need from the machine, got through the scripts in testdata/multiplatform:
 * Debian's qemu-user-static and a static arm64 busybox. Skips the calling test with the script's
 * reason when it cannot be had.
 */
final class EmulationPeers {
    private EmulationPeers() {
    }

    /** Installs qemu-user-static when missing (root), or skips. */
    static void requireQemuUserStatic() {
        script("qemu-user-static.sh");
    }

    /** The path of a static arm64 busybox, fetched from Debian the first time, or skips. */
    static Path arm64Busybox() {
        return Path.of(script("arm64-busybox.sh").strip());
    }

    private static String script(String name) {
        Path script = Path.of(System.getProperty("jbuild.testdata", "../testdata"), "multiplatform", name);
        try {
            Process process = new ProcessBuilder("bash", script.toString())
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = process.waitFor();
            assumeTrue(code != 3, () -> name + ": " + err.strip());
            if (code != 0) {
                throw new IllegalStateException(name + " failed with exit code " + code + ": " + err);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

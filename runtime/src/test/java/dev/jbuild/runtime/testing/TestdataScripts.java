package dev.jbuild.runtime.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a helper script of testdata/multiplatform for the emulation tests of every module; its exit
 * code 3 skips the calling test with the script's reason.
 */
public final class TestdataScripts {
    private TestdataScripts() {
    }

    /** Debian's qemu-user-static, installed when missing (root), or the test is skipped. */
    public static void requireQemuUserStatic() {
        run("qemu-user-static.sh");
    }

    /** The path of a static arm64 busybox, fetched from Debian the first time, or the test is skipped. */
    public static Path arm64Busybox() {
        return Path.of(run("arm64-busybox.sh").strip());
    }

    /** Runs the script {@code name} with {@code args} and returns its standard output. */
    public static String run(String name, String... args) {
        Path script = Path.of(System.getProperty("jbuild.testdata", "../testdata"), "multiplatform", name);
        try {
            List<String> command = new ArrayList<>(List.of("bash", script.toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).start();
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
}

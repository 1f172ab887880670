package dev.jbuild.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** A build context holding the host's static busybox as {@code bin/busybox}, for FROM-scratch builds with RUN steps. */
final class BusyboxContext {
    static final Path BUSYBOX = Path.of("/bin/busybox");

    /** The Dockerfile lines that make a busybox image from the context: FROM scratch, the binary, its applets. */
    static final String BASE = """
            FROM scratch
            COPY bin/busybox /bin/busybox
            RUN ["/bin/busybox", "--install", "-s", "/bin"]
            """;

    private BusyboxContext() {
    }

    /**
     * Makes {@code dir}/context with busybox in it; the test is skipped unless it runs as root (RUN
     * steps need root and overlayfs here; CI runs as root) with a static /bin/busybox.
     */
    static Path create(Path dir) throws IOException {
        assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "RUN steps need root and overlayfs here (CI runs as root)");
        assumeTrue(Files.isExecutable(BUSYBOX), "needs a static /bin/busybox (apt-get install busybox-static)");
        Path context = Files.createDirectories(dir.resolve("context"));
        Files.createDirectories(context.resolve("bin"));
        Files.copy(BUSYBOX, context.resolve("bin/busybox"));
        return context;
    }

    /** Deletes what is inside {@code dir} (links themselves, never what they point to), if it exists. */
    static void deleteChildren(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir)) {
                    Files.delete(path);
                }
            }
        }
    }
}

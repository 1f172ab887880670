package dev.jbuild.store.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real filesystem that fills up, for one test at a time: a tmpfs of a few megabytes mounted before
 * each test (as root; the test is skipped otherwise) and unmounted after it. Register it with
 * {@code @RegisterExtension}.
 */
public final class SmallFilesystem implements BeforeEachCallback, AfterEachCallback {
    private final String size;
    private Path mountPoint;

    /** A tmpfs of {@code size}, as mount's {@code size=} option says it ({@code 2m}). */
    public SmallFilesystem(String size) {
        this.size = size;
    }

    /** Where it is mounted during the test. */
    public Path root() {
        return mountPoint;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        mountPoint = Files.createTempDirectory("jbuild-small-fs-");
        assertEquals(0, run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString()));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (mountPoint != null) {
            assertEquals(0, run("umount", mountPoint.toString()));
            Files.delete(mountPoint);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream out = process.getInputStream()) {
            out.transferTo(OutputStream.nullOutputStream());
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
        return process.exitValue();
    }
}

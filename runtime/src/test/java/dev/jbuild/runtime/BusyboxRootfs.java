package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A busybox root filesystem built from the host's static /bin/busybox, with one symlink per applet. */
final class BusyboxRootfs {
    static final Path BUSYBOX = Path.of("/bin/busybox");

    private BusyboxRootfs() {
    }

    /** Skips the calling test unless a static busybox is installed (package busybox-static). */
    static void assumeBusybox() {
        assumeTrue(Files.isExecutable(BUSYBOX), "needs a static /bin/busybox (apt-get install busybox-static)");
    }

    /** Creates the layer under {@code dir}: busybox, its applet links, /etc/passwd and /etc/group with users root, app (1000) and nobody. */
    static Path create(Path dir) {
        assumeBusybox();
        try {
            Files.createDirectories(dir.resolve("bin"));
            Files.copy(BUSYBOX, dir.resolve("bin/busybox"));
            for (String applet : run(BUSYBOX.toString(), "--list-full").split("\n")) {
                Path link = dir.resolve(applet.trim());
                if (applet.isBlank() || Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, Path.of("/bin/busybox"));
            }
            for (String sub : List.of("etc", "tmp", "root", "proc", "sys", "dev", "home/app")) {
                Files.createDirectories(dir.resolve(sub));
            }
            run("chmod", "1777", dir.resolve("tmp").toString());
            Files.writeString(dir.resolve("etc/passwd"), """
                    root:x:0:0:root:/root:/bin/sh
                    app:x:1000:1000:app:/home/app:/bin/sh
                    nobody:x:65534:65534:nobody:/nonexistent:/bin/false
                    """);
            Files.writeString(dir.resolve("etc/group"), """
                    root:x:0:
                    app:x:1000:
                    wheel:x:10:app
                    nogroup:x:65534:
                    """);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What one container run printed and how it ended. */
    record Result(ExitStatus status, String stdout, String stderr) {
    }

    static Result run(ContainerRuntime runtime, ContainerSpec spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExitStatus status = runtime.container(spec).run(null, out, err);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

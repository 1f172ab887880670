package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jbuild run --rootfs} and {@code jbuild info} end to end, as root with a static busybox rootfs. */
class RunCommandIT {
    @TempDir
    Path tmp;
    private Path rootfs;
    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    @BeforeEach
    void busybox() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "containers with limits need root (CI runs as root)");
        Path busybox = Path.of("/bin/busybox");
        assumeTrue(Files.isExecutable(busybox), "needs a static /bin/busybox (apt-get install busybox-static)");
        rootfs = Files.createDirectories(tmp.resolve("rootfs/bin"));
        Files.copy(busybox, rootfs.resolve("busybox"));
        for (String applet : List.of("sh", "true", "cat", "dd")) {
            Files.createSymbolicLink(rootfs.resolve(applet), Path.of("busybox"));
        }
        rootfs = rootfs.getParent();
    }

    private int jbuild(String... args) {
        CommandLine commandLine = Main.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void exitCodeOfTheCommandIsPassedThroughAndRmLeavesNothing() throws IOException {
        assertEquals(7, jbuild("--root", tmp.resolve("store").toString(), "run", "--rm", "--rootfs", rootfs.toString(),
                "sh", "-c", "echo changed > /file; exit 7"));
        try (Stream<Path> containers = Files.list(tmp.resolve("store/containers"))) {
            assertEquals(List.of(), containers.toList());
        }
    }

    @Test
    void standardInputReachesTheCommandOnlyWithInteractive() {
        java.io.InputStream original = System.in;
        try {
            String[] readsALine = {"--root", tmp.resolve("store").toString(), "run", "--rm", "--rootfs",
                    rootfs.toString(), "sh", "-c", "read line && [ \"$line\" = piped ] && exit 5; exit 6"};
            System.setIn(new java.io.ByteArrayInputStream("piped\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(6, jbuild(readsALine), "without -i the command's input is empty: " + err);
            List<String> interactive = new java.util.ArrayList<>(List.of(readsALine));
            interactive.add(3, "-i");
            System.setIn(new java.io.ByteArrayInputStream("piped\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(5, jbuild(interactive.toArray(String[]::new)), err.toString());
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void withoutRmTheChangesAreKeptAndTheirPathPrinted() {
        assertEquals(0, jbuild("--root", tmp.resolve("store").toString(), "run", "--rootfs", rootfs.toString(),
                "sh", "-c", "echo changed > /file"));
        String kept = err.toString().trim().replaceFirst("^jbuild run: the container's changes are kept in ", "");
        assertTrue(Files.isRegularFile(Path.of(kept, "file")), err.toString());
    }

    @Test
    void runsAnImageFromTheStoreOverItsUnpackedLayers() {
        String store = tmp.resolve("store").toString();
        assertEquals(0, jbuild("--root", store, "import", rootfs.toString(), "example/busybox:1"), err.toString());
        assertEquals(9, jbuild("--root", store, "run", "--rm", "example/busybox:1", "sh", "-c",
                "test -x /bin/busybox && exit 9"), err.toString());
        assertEquals(0, jbuild("--root", store, "run", "example/busybox:1", "sh", "-c", "echo layer > /bin/new"));
        String kept = err.toString().lines().filter(l -> l.startsWith("jbuild run: the container's changes"))
                .findFirst().orElseThrow().replaceFirst("^jbuild run: the container's changes are kept in ", "");
        assertTrue(Files.isRegularFile(Path.of(kept, "bin/new")), err.toString());
        assertEquals(2, jbuild("--root", store, "run", "--rm", "example/busybox:1"));
        assertTrue(err.toString().contains("no command given"), err.toString());
        assertEquals(4, jbuild("--root", store, "run", "--rm", "example/missing:1", "true"));
    }

    @Test
    void underChrootIsolationAnImageRunsInACopyOfItsFileSystem() throws IOException {
        String store = tmp.resolve("store").toString();
        assertEquals(0, jbuild("--root", store, "import", rootfs.toString(), "example/busybox:1"), err.toString());
        assertEquals(9, jbuild("--root", store, "run", "--rm", "--isolation", "chroot", "example/busybox:1", "sh", "-c",
                "test -x /bin/busybox && echo changed > /bin/new && exit 9"), err.toString());
        try (Stream<Path> containers = Files.list(tmp.resolve("store/containers"))) {
            assertEquals(List.of(), containers.toList(), "--rm removed the copy");
        }
        assertEquals(0, jbuild("--root", store, "run", "--isolation", "chroot", "--rootfs", rootfs.toString(), "sh", "-c",
                "echo changed > /file"), err.toString());
        assertFalse(Files.exists(rootfs.resolve("file")), "the given directory is not changed");
        String kept = err.toString().lines().filter(l -> l.startsWith("jbuild run: the container's file system"))
                .findFirst().orElseThrow().replaceFirst("^jbuild run: the container's file system is kept in ", "");
        assertTrue(Files.isRegularFile(Path.of(kept, "file")), err.toString());
    }

    @Test
    void volumesBindHostPathsReadOnlyOrWritable() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("in.txt"), "from the host\n");
        Path out = Files.createDirectories(tmp.resolve("out"));
        assertEquals(0, jbuild("--root", tmp.resolve("store").toString(), "run", "--rm", "-v", data + ":/data:ro",
                "--volume", out + ":/out", "--rootfs", rootfs.toString(), "sh", "-c",
                "cat /data/in.txt > /out/copied.txt && ! sh -c 'echo no > /data/refused.txt' 2>/dev/null"), err.toString());
        assertEquals("from the host\n", Files.readString(out.resolve("copied.txt")));
        assertFalse(Files.exists(data.resolve("refused.txt")), ":ro refuses writes");
        assertEquals(2, jbuild("run", "--rm", "-v", "/nonexistent-jbuild:/x", "--rootfs", rootfs.toString(), "true"));
        assertTrue(err.toString().contains("/nonexistent-jbuild does not exist"), err.toString());
    }

    @Test
    void missingCommandExitsWith127AndDockersMessage() {
        assertEquals(127, jbuild("--root", tmp.resolve("store").toString(), "run", "--rm", "--rootfs", rootfs.toString(), "nope"));
        assertEquals("error: exec: \"nope\": executable file not found in $PATH", err.toString().trim());
    }

    @Test
    void memoryLimitHitSaysOutOfMemory() {
        assertEquals(137, jbuild("--root", tmp.resolve("store").toString(), "run", "--rm", "--memory", "16m",
                "--rootfs", rootfs.toString(), "dd", "if=/dev/zero", "of=/dev/null", "bs=100M", "count=1"));
        assertTrue(err.toString().contains("out of memory"), err.toString());
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, jbuild("run", "--rootfs", tmp.resolve("missing").toString(), "true"));
        assertEquals(2, jbuild("run", "--rootfs", rootfs.toString(), "--isolation", "sideways", "true"));
        assertTrue(err.toString().contains("unknown isolation \"sideways\""), err.toString());
    }

    @Test
    void infoPrintsTheHostAndTheChosenIsolation() {
        assertEquals(0, jbuild("--root", tmp.resolve("store").toString(), "info"));
        assertTrue(out.toString().contains("isolation: root"), out.toString());
        assertTrue(out.toString().contains("store:     " + tmp.resolve("store") + "\n"), out.toString());
        assertTrue(out.toString().contains("kernel:    "), out.toString());
        assertTrue(out.toString().contains("cgroups:   "), out.toString());
    }
}

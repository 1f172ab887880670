package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's example as a user runs it, through the packaged jar in its own process: import a
 * busybox rootfs, build testdata/examples/hello (a RUN step), and run the result, whose CMD
 * prints the file the RUN step wrote.
 */
class HelloExampleIT {
    private static final Path JAR = Path.of("target", "jbuild-cli.jar");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsRootBusyboxAndTheJar() {
        assumeTrue("root".equals(System.getProperty("user.name")), "RUN steps here need root (CI runs as root)");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox (apt-get install busybox-static)");
        assumeTrue(Files.isRegularFile(JAR), "the CLI jar is made in the package phase, before integration tests");
    }

    /** Removes the store, whose busybox symlinks point outside, without JUnit's warning about each. */
    @AfterEach
    void removeTrees() throws IOException {
        BusyboxContext.deleteChildren(dir);
    }

    private record Result(int exitCode, String out, String err) {
    }

    private Result jbuild(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                "--root", dir.resolve("store").toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "jbuild " + String.join(" ", args) + " timed out");
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void buildsTheExampleAndItsCmdPrintsWhatTheRunStepWrote() throws Exception {
        Path testdata = Path.of(System.getProperty("jbuild.testdata"));
        Path rootfs = dir.resolve("rootfs");
        Process script = new ProcessBuilder("sh", testdata.resolve("examples/hello/busybox-rootfs.sh").toString(),
                rootfs.toString()).inheritIO().start();
        assertEquals(0, script.waitFor());

        Result imported = jbuild("import", rootfs.toString(), "busybox:latest");
        assertEquals(0, imported.exitCode(), imported.err());
        Result built = jbuild("-t", "hello:1", "--progress", "plain", testdata.resolve("examples/hello").toString());
        assertEquals(0, built.exitCode(), built.err());
        assertTrue(built.err().contains("RUN echo"), built.err());

        Result ran = jbuild("run", "--rm", "hello:1");
        assertEquals(0, ran.exitCode(), ran.err());
        assertTrue(ran.out().startsWith("hello from a RUN step, built by jbuild on "), ran.out());
        assertTrue(ran.out().contains(Files.readString(testdata.resolve("examples/hello/message.txt")).strip()), ran.out());

        Result rebuilt = jbuild("-t", "hello:1", "--progress", "plain", testdata.resolve("examples/hello").toString());
        assertEquals(0, rebuilt.exitCode(), rebuilt.err());
        assertTrue(rebuilt.err().contains("CACHED"), rebuilt.err());
        assertEquals(built.out(), rebuilt.out(), "a fully cached rebuild gives the same image");
    }
}

package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Platform;
import dev.jbuild.store.DockerArchiveSource;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jbuild copy} to and from docker-archive tarballs. */
class CopyArchiveTest {
    @TempDir
    Path dir;

    private int jbuild(Path store, StringWriter err, String... args) {
        CommandLine commandLine = Main.newCommandLine();
        commandLine.setOut(new PrintWriter(new StringWriter()));
        commandLine.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("--root", store.toString()));
        all.addAll(List.of(args));
        return commandLine.execute(Main.withDefaultSubcommand(all.toArray(String[]::new),
                commandLine.getSubcommands().keySet()));
    }

    @Test
    void storeToArchiveAndBackKeepsTheImage() throws IOException {
        Path rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/motd"), "archived\n");
        Path first = dir.resolve("first");
        StringWriter err = new StringWriter();
        assertEquals(0, jbuild(first, err, "import", rootfs.toString(), "example/archived:1"), err.toString());

        Path tarball = dir.resolve("out/image.tar");
        assertEquals(0, jbuild(first, err, "copy", "example/archived:1", "docker-archive:" + tarball + ":archived:1"),
                err.toString());
        try (DockerArchiveSource archive = DockerArchiveSource.open(tarball)) {
            assertEquals(List.of("archived:1"), archive.tags());
        }

        Path second = dir.resolve("second");
        assertEquals(0, jbuild(second, err, "copy", "docker-archive:" + tarball, "restored/archived:2"),
                err.toString());
        var before = Store.open(first).image("example/archived:1", Platform.current());
        var after = Store.open(second).image("restored/archived:2", Platform.current());
        assertEquals(before.config(), after.config());
        assertEquals(before.layers().getFirst().digest(), after.layers().getFirst().digest());
    }

    @Test
    void archiveDestinationNeedsAName() {
        StringWriter err = new StringWriter();
        assertEquals(ExitCode.USAGE, jbuild(dir.resolve("s"), err, "copy", "x:1", "docker-archive:" + dir.resolve("a.tar")));
        assertTrue(err.toString().contains("docker-archive:"), err.toString());
        assertFalse(Files.exists(dir.resolve("a.tar")));
    }
}

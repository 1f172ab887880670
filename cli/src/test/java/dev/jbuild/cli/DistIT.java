package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/dist.sh}: the packed jbuild runs unpacked anywhere, without this checkout or Maven. */
class DistIT {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private static String run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + "\n" + output);
        return output;
    }

    @Test
    void thePackRunsWithOnlyAJdk() throws Exception {
        String tarball = run(REPOSITORY, REPOSITORY.resolve("scripts/dist.sh").toString(), tmp.resolve("out").toString())
                .lines().reduce((first, last) -> last).orElseThrow();
        Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
        run(tmp, "tar", "-xzf", tarball, "-C", unpacked.toString());
        Path home;
        try (Stream<Path> entries = Files.list(unpacked)) {
            List<Path> all = entries.toList();
            assertEquals(1, all.size(), all.toString());
            home = all.getFirst();
        }
        assertTrue(home.getFileName().toString().startsWith("jbuild-"), home.toString());
        assertFalse(Files.exists(home.resolve("pom.xml")), "no sources: nothing to build");

        assertTrue(run(tmp, home.resolve("bin/jbuild").toString(), "--version").strip().endsWith(
                home.getFileName().toString().substring("jbuild-".length())));
        String images = run(tmp, home.resolve("bin/jbuild").toString(), "--root", tmp.resolve("store").toString(),
                "images");
        assertTrue(images.lines().anyMatch(line -> line.startsWith("REPOSITORY")), images);
        assertTrue(run(tmp, home.resolve("bin/jpull").toString(), "--help").contains("Usage: jbuild pull"));

        // save to standard output and load from standard input, as `docker save x | docker load`
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("hostname"), "packed\n");
        String jbuild = home.resolve("bin/jbuild").toString();
        run(tmp, jbuild, "--root", tmp.resolve("a").toString(), "import", rootfs.getParent().toString(), "x:1");
        String loaded = run(tmp, "bash", "-c", "\"$0\" --root a save x:1 | \"$0\" --root b load", jbuild);
        assertTrue(loaded.contains("Loaded image: x:1"), loaded);
    }
}

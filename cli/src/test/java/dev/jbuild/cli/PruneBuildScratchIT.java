package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbuild prune} and the scratch directories of builds: a running build's stays, a killed build's goes. */
class PruneBuildScratchIT {

    @TempDir
    Path tmp;

    private Path context;
    private Process build;

    @BeforeEach
    void context() throws IOException {
        context = BusyboxContext.create(tmp);
        Files.writeString(context.resolve("Dockerfile"), BusyboxContext.BASE + """
                RUN touch /started && sleep 600
                """);
    }

    /** Kills the build this test started (and what it started) and removes what the test made. */
    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        if (build != null && build.isAlive()) {
            kill(build);
        }
        if (!Files.exists(tmp)) {
            return;
        }
        try (var paths = Files.walk(tmp)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(tmp)) {
                    Files.delete(path);
                }
            }
        }
    }

    private static void kill(Process process) throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle descendant : descendants) {
            descendant.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(timeout -> descendant).join();
        }
    }

    @Test
    void pruneKeepsARunningBuildsScratchAndRemovesAKilledOnes() throws Exception {
        Path store = tmp.resolve("store");
        // a build in its own process, so killing it is what a user's kill -9 does
        build = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--root", store.toString(), "build", "--progress", "plain", context.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("build.log").toFile()).start();
        Path scratch = runningStep(store.resolve("builds"));

        CliRun whileRunning = CliRun.of("--root", store.toString(), "prune", "--all");
        assertEquals(0, whileRunning.exitCode(), whileRunning.err());
        assertTrue(Files.isDirectory(scratch), "a running build's scratch stays: " + whileRunning.out());

        kill(build);
        CliRun afterKill = CliRun.of("--root", store.toString(), "prune", "--all");
        assertEquals(0, afterKill.exitCode(), afterKill.err());
        assertTrue(!Files.exists(scratch), "a killed build's scratch is removed: " + afterKill.out());
        try (var left = Files.list(store.resolve("builds"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    /** Waits until the build's RUN step has started, and returns that build's scratch directory. */
    private Path runningStep(Path builds) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 1200; attempt++) {
            Optional<Path> started = Optional.empty();
            if (Files.isDirectory(builds)) {
                try (var paths = Files.find(builds, 4, (path, attributes) -> path.getFileName().toString().equals("started")
                        && path.getParent().getFileName().toString().equals("upper"))) {
                    started = paths.findFirst();
                }
            }
            if (started.isPresent()) {
                return builds.resolve(builds.relativize(started.get()).getName(0));
            }
            assertTrue(build.isAlive(), () -> "the build ended early: " + read(tmp.resolve("build.log")));
            Thread.sleep(100);
        }
        throw new AssertionError("the build's RUN step did not start: " + read(tmp.resolve("build.log")));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}

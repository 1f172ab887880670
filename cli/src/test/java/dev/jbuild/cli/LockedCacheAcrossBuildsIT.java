package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code RUN --mount=type=cache,sharing=locked} makes steps of two jbuild processes on one store take turns. */
class LockedCacheAcrossBuildsIT {

    @TempDir
    Path tmp;

    private Path context;
    private final List<Process> builds = new ArrayList<>();

    @BeforeEach
    void context() throws IOException {
        context = BusyboxContext.create(tmp);
        // the builds meet in a shared cache first, so their locked steps would overlap without the lock
        Files.writeString(context.resolve("Dockerfile"), BusyboxContext.BASE + """
                ARG ME
                ARG OTHER
                RUN --mount=type=cache,id=meet,target=/meet touch /meet/$ME && i=0 && while [ ! -e /meet/$OTHER ]; do \\
                      i=$((i+1)); [ $i -lt 1200 ] || exit 3; sleep 0.1; done
                RUN --mount=type=cache,id=turns,sharing=locked,target=/turns \\
                    echo "enter $ME" >> /turns/log && sleep 1 && echo "leave $ME" >> /turns/log
                """);
    }

    /** Stops builds this test started that are still running and removes what the test made. */
    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        for (Process build : builds) {
            if (build.isAlive()) {
                build.destroyForcibly();
                build.waitFor(30, TimeUnit.SECONDS);
            }
        }
        try (var paths = Files.walk(tmp)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(tmp)) {
                    Files.delete(path);
                }
            }
        }
    }

    private Process start(Path store, String me, String other) throws IOException {
        Process build = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--root", store.toString(), "build", "--progress", "plain", "--build-arg", "ME=" + me,
                "--build-arg", "OTHER=" + other, context.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve(me + ".log").toFile()).start();
        builds.add(build);
        return build;
    }

    @Test
    void lockedStepsOfTwoProcessesNeverInterleave() throws Exception {
        Path store = tmp.resolve("store");
        Process first = start(store, "a", "b");
        Process second = start(store, "b", "a");
        assertEquals(0, first.waitFor(), Files.readString(tmp.resolve("a.log")));
        assertEquals(0, second.waitFor(), Files.readString(tmp.resolve("b.log")));
        Path cache = store.resolve("build-mounts").resolve(Digest.sha256("turns".getBytes(StandardCharsets.UTF_8)).encoded());
        List<String> log = Files.readAllLines(cache.resolve("log"));
        assertEquals(4, log.size(), log.toString());
        String firstIn = log.getFirst().substring("enter ".length());
        String secondIn = firstIn.equals("a") ? "b" : "a";
        assertEquals(List.of("enter " + firstIn, "leave " + firstIn, "enter " + secondIn, "leave " + secondIn), log);
    }
}

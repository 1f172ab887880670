package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbuild.runtime.internal.HostFacts;
import dev.jbuild.runtime.internal.RunDirectories;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A container's processes end when the command ends, and when the JVM that started the container dies. */
class ParentDeathIT {
    private Path home;

    @BeforeEach
    void rootfs() throws IOException {
        assumeTrue(HostFacts.effectiveUid() == 0, "these tests run as root (CI runs as root)");
        home = Files.createTempDirectory("jbuild-parent-death-");
        BusyboxRootfs.create(home.resolve("lower"));
    }

    @AfterEach
    void remove() {
        if (home != null) {
            RunDirectories.delete(home);
        }
    }

    @Test
    void backgroundProcessesDieWithTheCommand() {
        ContainerRuntime runtime = ContainerRuntime.withIsolation(Isolation.ROOT);
        Rootfs.Overlay overlay = Rootfs.Overlay.in(home.resolve("c"), List.of(home.resolve("lower")));
        BusyboxRootfs.Result result = BusyboxRootfs.run(runtime, ContainerSpec.builder(overlay,
                List.of("sh", "-c", "sleep 987 & sleep 987 & echo started")).build());
        assertEquals("started\n", result.stdout(), result.stderr());
        assertEquals(List.of(), processesRunning("sleep", "987"));
    }

    @Test
    void containerDiesWhenItsJvmIsKilled() throws Exception {
        // a number of seconds no other run of this test uses, so leftovers of an aborted run cannot interfere
        String seconds = Long.toString(100_000 + ProcessHandle.current().pid());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // the killed JVM cannot remove its scratch directory: keep it where this test cleans up
        Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Djbuild.run.dir=" + home.resolve("run"), RootlessDriver.class.getName(), home.resolve("result").toString(), Isolation.ROOT.name(),
                home.resolve("lower").toString(), home.resolve("upper").toString(), home.resolve("work").toString(), "0",
                "sleep " + seconds + " & echo started; sleep " + seconds).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            jvm.getOutputStream().close();
            assertEquals("started", out.readLine());
            // "started" can come before the background shell has exec'd sleep: wait for both, up to a minute
            for (int attempt = 0; attempt < 600 && processesRunning("sleep", seconds).size() < 2; attempt++) {
                Thread.sleep(100);
            }
            assertEquals(2, processesRunning("sleep", seconds).size(), "both sleeps run before the JVM is killed");
        } finally {
            jvm.destroyForcibly().waitFor();
        }
        // the kernel delivers the parent-death signals asynchronously: wait for them, up to a minute
        for (int attempt = 0; attempt < 600 && !processesRunning("sleep", seconds).isEmpty(); attempt++) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), processesRunning("sleep", seconds), "the container died with the JVM");
        assertTrue(!Files.exists(home.resolve("result")), "the killed JVM wrote no result");
    }

    /** Host pids of processes whose command line is exactly {@code args}. */
    private static List<String> processesRunning(String... args) {
        String wanted = String.join("\0", args) + "\0";
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).equals(wanted)) {
                        found.add(proc.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // the process exited while the list was read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }
}

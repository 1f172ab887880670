package dev.jbuild.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Checks that containers left nothing behind: mounts, cgroups, processes. */
final class Leftovers {
    private Leftovers() {
    }

    static void assertNoneUnder(Path dir) throws IOException {
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            if (line.contains(dir.toString())) {
                mounts.add(line);
            }
        }
        assertEquals(List.of(), mounts, "mounts left in /proc/mounts");
        List<Path> cgroups = new ArrayList<>();
        for (String controller : List.of("memory", "pids", "cpu", "unified", "")) {
            Path parent = Path.of("/sys/fs/cgroup", controller, "jbuild");
            if (Files.isDirectory(parent)) {
                try (Stream<Path> children = Files.list(parent)) {
                    children.filter(Files::isDirectory).forEach(cgroups::add);
                }
            }
        }
        assertEquals(List.of(), cgroups, "cgroup directories left");
        List<String> processes = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String exe = Files.readSymbolicLink(proc.resolve("exe")).toString();
                    if (exe.contains("jbuild-init") || exe.startsWith(dir.toString())) {
                        processes.add(proc.getFileName() + " " + exe);
                    }
                } catch (IOException gone) {
                    // kernel threads and processes that just exited have no readable exe
                }
            }
        }
        assertEquals(List.of(), processes, "processes left");
    }
}

package dev.jbuild.runtime;

import dev.jbuild.runtime.internal.Cgroups;
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

    /** Makes this JVM's containers use cgroups of their own, so containers of other test JVMs on the host do not count. */
    static void useOwnCgroupParent() {
        System.setProperty("jbuild.cgroup.parent", "jbuild-test-" + ProcessHandle.current().pid());
    }

    /** Removes the parent cgroups {@link #useOwnCgroupParent()} led to. */
    static void removeOwnCgroupParent() throws IOException {
        for (String controller : List.of("memory", "pids", "cpu", "")) {
            Files.deleteIfExists(Path.of("/sys/fs/cgroup", controller, Cgroups.parentName()));
        }
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
            Path parent = Path.of("/sys/fs/cgroup", controller, Cgroups.parentName());
            if (Files.isDirectory(parent)) {
                try (Stream<Path> children = Files.list(parent)) {
                    children.filter(Files::isDirectory).forEach(cgroups::add);
                }
            }
        }
        assertEquals(List.of(), cgroups, "cgroup directories left");
        // other test JVMs on the machine may run containers too: only this JVM's descendants count
        List<String> processes = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(process -> {
            try {
                String exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "exe")).toString();
                if (exe.contains("jbuild-init")) {
                    processes.add(process.pid() + " " + exe);
                }
            } catch (IOException gone) {
                // a process that just exited has no readable exe
            }
        });
        assertEquals(List.of(), processes, "processes left");
    }
}

package dev.jbuild.runtime.internal;

import dev.jbuild.runtime.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The cgroups of one container (v1: one directory per controller; v2: one directory), removed by {@link #close()}. */
public final class Cgroups implements AutoCloseable {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final long CPU_PERIOD_MICROS = 100_000;

    /** Which cgroup hierarchy the host uses. */
    public enum Version {
        /** cgroup2 with controllers at /sys/fs/cgroup. */
        V2,
        /** cgroup v1 controllers (possibly hybrid, with an empty cgroup2 at /sys/fs/cgroup/unified). */
        V1,
        /** No usable cgroup hierarchy. */
        NONE
    }

    private final Version version;
    private final List<Path> directories;

    private Cgroups(Version version, List<Path> directories) {
        this.version = version;
        this.directories = List.copyOf(directories);
    }

    /** The host's cgroup version. */
    public static Version detect() {
        if (Files.isRegularFile(ROOT.resolve("cgroup.controllers"))) {
            return Version.V2;
        }
        if (Files.isDirectory(ROOT.resolve("memory")) || Files.isDirectory(ROOT.resolve("pids"))) {
            return Version.V1;
        }
        return Version.NONE;
    }

    /** A description for {@code jbuild info}, e.g. "v1 (hybrid: cgroup2 at /sys/fs/cgroup/unified has no controllers)". */
    public static String describe() {
        return switch (detect()) {
            case V2 -> "v2 (controllers: " + readQuietly(ROOT.resolve("cgroup.controllers")).trim() + ")";
            case V1 -> Files.isRegularFile(ROOT.resolve("unified/cgroup.controllers"))
                    ? "v1 (hybrid: cgroup2 at /sys/fs/cgroup/unified with controllers \""
                            + readQuietly(ROOT.resolve("unified/cgroup.controllers")).trim() + "\")"
                    : "v1";
            case NONE -> "none";
        };
    }

    /** The cgroup under which containers' cgroups are made: {@code jbuild}, or the system property {@code jbuild.cgroup.parent}. */
    public static String parentName() {
        String configured = System.getProperty("jbuild.cgroup.parent", "jbuild");
        if (configured.isBlank() || configured.contains("..") || configured.startsWith("/")) {
            throw new IllegalStateException("jbuild.cgroup.parent must be a relative cgroup path: \"" + configured + "\"");
        }
        return configured;
    }

    /** Creates the cgroups named {@code name} under the parent cgroup with the limits written, ready for the container. */
    public static Cgroups create(String name, Limits limits) {
        Version version = detect();
        List<Path> created = new ArrayList<>();
        try {
            switch (version) {
                case V2 -> {
                    Path parent = ROOT.resolve(parentName());
                    Files.createDirectories(parent);
                    enableControllers(ROOT);
                    enableControllers(parent);
                    Path dir = parent.resolve(name);
                    Files.createDirectory(dir);
                    created.add(dir);
                    writeV2Limits(dir, limits);
                }
                case V1 -> {
                    Set<Path> controllers = new LinkedHashSet<>();
                    for (String controller : List.of("memory", "pids", "cpu")) {
                        Path mount = ROOT.resolve(controller);
                        if (Files.isDirectory(mount)) {
                            controllers.add(mount.toRealPath());
                        }
                    }
                    for (Path mount : controllers) {
                        Path dir = mount.resolve(parentName()).resolve(name);
                        Files.createDirectories(dir);
                        created.add(dir);
                    }
                    writeV1Limits(created, limits);
                }
                case NONE -> throw new IllegalStateException("no cgroup hierarchy is mounted at " + ROOT);
            }
        } catch (IOException | RuntimeException e) {
            new Cgroups(version, created).close();
            throw new IllegalStateException("cannot set up cgroups for limits " + limits + ": " + e.getMessage(), e);
        }
        return new Cgroups(version, created);
    }

    /** The directories whose {@code cgroup.procs} the container joins before it starts. */
    public List<Path> directories() {
        return directories;
    }

    /** Whether the kernel OOM-killed a process in this cgroup. */
    public boolean oomKilled() {
        for (Path dir : directories) {
            Path events = dir.resolve(version == Version.V2 ? "memory.events" : "memory.oom_control");
            if (Files.isRegularFile(events)) {
                for (String line : readQuietly(events).split("\n")) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length == 2 && fields[0].equals("oom_kill") && Long.parseLong(fields[1]) > 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Kills whatever is left in the cgroups and removes them. */
    @Override
    public void close() {
        for (Path dir : directories.reversed()) {
            removeWhenEmpty(dir);
        }
    }

    private static void removeWhenEmpty(Path dir) {
        for (int attempt = 0; attempt < 500; attempt++) {
            if (!Files.exists(dir)) {
                return;
            }
            for (String pid : readQuietly(dir.resolve("cgroup.procs")).split("\n")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            try {
                Files.delete(dir);
                return;
            } catch (IOException busy) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while removing cgroup " + dir, e);
                }
            }
        }
        throw new IllegalStateException("cgroup " + dir + " still has processes after 5 s; it was not removed");
    }

    private static void enableControllers(Path dir) throws IOException {
        String available = readQuietly(dir.resolve("cgroup.controllers"));
        StringBuilder wanted = new StringBuilder();
        for (String controller : List.of("memory", "pids", "cpu")) {
            if ((" " + available.trim() + " ").contains(" " + controller + " ")) {
                wanted.append('+').append(controller).append(' ');
            }
        }
        if (!wanted.isEmpty()) {
            Files.writeString(dir.resolve("cgroup.subtree_control"), wanted.toString().trim());
        }
    }

    private static void writeV2Limits(Path dir, Limits limits) throws IOException {
        if (limits.memoryBytes() > 0) {
            Files.writeString(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
            if (Files.exists(dir.resolve("memory.swap.max"))) {
                Files.writeString(dir.resolve("memory.swap.max"), "0");
            }
        }
        if (limits.pids() > 0) {
            Files.writeString(dir.resolve("pids.max"), Long.toString(limits.pids()));
        }
        if (limits.cpus() > 0) {
            Files.writeString(dir.resolve("cpu.max"), quotaMicros(limits) + " " + CPU_PERIOD_MICROS);
        }
    }

    private static void writeV1Limits(List<Path> dirs, Limits limits) throws IOException {
        for (Path dir : dirs) {
            if (limits.memoryBytes() > 0 && Files.exists(dir.resolve("memory.limit_in_bytes"))) {
                Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
                Path withSwap = dir.resolve("memory.memsw.limit_in_bytes");
                if (Files.exists(withSwap)) {
                    Files.writeString(withSwap, Long.toString(limits.memoryBytes()));
                }
            }
            if (limits.pids() > 0 && Files.exists(dir.resolve("pids.max"))) {
                Files.writeString(dir.resolve("pids.max"), Long.toString(limits.pids()));
            }
            if (limits.cpus() > 0 && Files.exists(dir.resolve("cpu.cfs_quota_us"))) {
                Files.writeString(dir.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_MICROS));
                Files.writeString(dir.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros(limits)));
            }
        }
    }

    private static long quotaMicros(Limits limits) {
        return Math.max(1000, Math.round(limits.cpus() * CPU_PERIOD_MICROS));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        } catch (UncheckedIOException e) {
            return "";
        }
    }
}

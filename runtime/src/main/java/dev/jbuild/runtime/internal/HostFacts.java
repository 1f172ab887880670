package dev.jbuild.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Small facts about the host read from /proc and /etc, without native calls. */
public final class HostFacts {
    /** The capability number of CAP_SYS_CHROOT. */
    public static final int CAP_SYS_CHROOT = 18;

    private HostFacts() {
    }

    /** Whether this process has {@code capability} in its effective set (from /proc/self/status). */
    public static boolean hasCapability(int capability) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << capability)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    // a JVM does not change its ids, and every container start needs them
    private static final int EFFECTIVE_UID = idFromStatus("Uid:");
    private static final int EFFECTIVE_GID = idFromStatus("Gid:");
    private static final boolean CGROUP_NAMESPACES = Files.exists(Path.of("/proc/self/ns/cgroup"));

    /** The effective uid of this JVM (from /proc/self/status). */
    public static int effectiveUid() {
        return EFFECTIVE_UID;
    }

    /** The effective gid of this JVM. */
    public static int effectiveGid() {
        return EFFECTIVE_GID;
    }

    /** The kernel release, e.g. {@code 6.18.44}. */
    public static String kernelRelease() {
        return readFirstLine(Path.of("/proc/sys/kernel/osrelease")).orElse(System.getProperty("os.version"));
    }

    /** Whether the kernel lists overlayfs (built in or loaded). */
    public static boolean overlaySupported() {
        try {
            return Files.readAllLines(Path.of("/proc/filesystems")).stream().anyMatch(line -> line.endsWith("\toverlay"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the kernel has cgroup namespaces. */
    public static boolean cgroupNamespaces() {
        return CGROUP_NAMESPACES;
    }

    /** The first directory on PATH holding an executable named {@code name}. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin:/usr/sbin:/sbin" : path).split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static int idFromStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Integer.parseInt(line.substring(field.length()).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + field + " from /proc/self/status", e);
        }
        throw new IllegalStateException("no " + field + " line in /proc/self/status");
    }

    private static Optional<String> readFirstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? Optional.empty() : Optional.of(lines.getFirst().trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

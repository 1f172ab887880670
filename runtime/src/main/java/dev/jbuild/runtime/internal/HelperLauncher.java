package dev.jbuild.runtime.internal;

import dev.jbuild.runtime.ContainerException;
import dev.jbuild.runtime.ContainerSpec;
import dev.jbuild.runtime.ExitStatus;
import dev.jbuild.runtime.Isolation;
import dev.jbuild.runtime.Mount;
import dev.jbuild.runtime.Network;
import dev.jbuild.runtime.Rlimit;
import dev.jbuild.runtime.Rootfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Runs a {@link ContainerSpec} through the {@code jbuild-init} helper with the chosen isolation. */
public final class HelperLauncher {
    /**
     * Holds the logger, so it is looked up only when something is logged: the lookup searches every
     * jar on the class path for a logging service, which costs a short command tens of milliseconds.
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger("dev.jbuild.runtime");
    }
    private static final long OPEN_FILES = 1_048_576;
    private static final List<String> NAME_RESOLUTION_FILES = List.of("/etc/resolv.conf", "/etc/hosts");

    private final Path helper;
    private final Isolation isolation;

    public HelperLauncher(Path helper, Isolation isolation) {
        this.helper = helper;
        this.isolation = isolation;
    }

    /** Runs the container to its end; see {@code Container.run}. */
    public ExitStatus run(ContainerSpec spec, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        if (isolation == Isolation.CHROOT && spec.rootfs() instanceof Rootfs.Overlay) {
            throw new ContainerException(ContainerException.SETUP_FAILED,
                    "chroot isolation cannot mount an overlay rootfs: it needs a directory rootfs");
        }
        PreparedCommand command = PreparedCommand.of(spec);
        String name = "c" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path runDirectory = RunDirectories.create(name);
        Cgroups cgroups = null;
        try {
            if (spec.limits().any()) {
                if (isolation == Isolation.ROOT) {
                    cgroups = Cgroups.create(name, spec.limits());
                } else {
                    Log.LOG.log(System.Logger.Level.WARNING, "resource limits " + spec.limits()
                            + " are not enforced: cgroups need root isolation here (" + isolation + ")");
                }
            }
            Path status = runDirectory.resolve("status");
            byte[] specBytes = encode(spec, command, status, runDirectory, cgroups);
            HelperProcess.Outcome outcome = HelperProcess.run(List.of(helper.toString()), specBytes, spec.timeout(), spec.stopGrace(),
                    stdin, stdout, stderr);
            return interpret(status, outcome, cgroups, spec.rootfs());
        } finally {
            try {
                if (cgroups != null) {
                    cgroups.close();
                }
            } finally {
                RunDirectories.delete(runDirectory);
            }
        }
    }

    private ExitStatus interpret(Path statusFile, HelperProcess.Outcome outcome, Cgroups cgroups, Rootfs rootfs) {
        List<String> lines;
        try {
            lines = Files.exists(statusFile) ? Files.readAllLines(statusFile, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read container status " + statusFile, e);
        }
        boolean oom = cgroups != null && cgroups.oomKilled();
        List<String> created = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("note ")) {
                Log.LOG.log(System.Logger.Level.INFO, line.substring(5));
            } else if (line.startsWith("created ")) {
                created.add(line.substring(8));
            }
        }
        MountPoints.removeUnused(rootfs, created);
        for (String line : lines) {
            String[] fields = line.split(" ", 3);
            switch (fields[0]) {
                case "error" -> {
                    if (outcome.timedOut()) {
                        break;
                    }
                    throw new ContainerException(Integer.parseInt(fields[1]), fields.length > 2 ? fields[2] : "container failed");
                }
                case "exit" -> {
                    return new ExitStatus(Integer.parseInt(fields[1]), 0, oom, outcome.timedOut(), outcome.duration());
                }
                case "signal" -> {
                    int signal = Integer.parseInt(fields[1]);
                    return new ExitStatus(128 + signal, signal, oom, outcome.timedOut(), outcome.duration());
                }
                default -> {
                    // notes and created mount points were handled above
                }
            }
        }
        if (outcome.timedOut()) {
            return new ExitStatus(137, 9, oom, true, outcome.duration());
        }
        throw new ContainerException(ContainerException.SETUP_FAILED,
                "jbuild-init ended with exit code " + outcome.helperExitCode() + " and reported nothing");
    }

    private byte[] encode(ContainerSpec spec, PreparedCommand command, Path status, Path runDirectory, Cgroups cgroups) {
        Path mountPoint = runDirectory.resolve("rootfs");
        List<String> tokens = new ArrayList<>();
        tokens.add("status");
        tokens.add(status.toString());
        tokens.add("flags");
        tokens.add(flags(spec));
        int uid = HostFacts.effectiveUid();
        int gid = HostFacts.effectiveGid();
        switch (isolation) {
            case ROOTLESS_SUBUID -> {
                SubordinateIds subuid = HostProbe.subuid().orElseThrow(() -> new ContainerException(
                        ContainerException.SETUP_FAILED, "no /etc/subuid range for " + System.getProperty("user.name")));
                SubordinateIds subgid = HostProbe.subgid().orElseThrow(() -> new ContainerException(
                        ContainerException.SETUP_FAILED, "no /etc/subgid range for " + System.getProperty("user.name")));
                add(tokens, "uidmap", subuid.mapFor(uid), "gidmap", subgid.mapFor(gid), "newidmap", "1");
            }
            case ROOTLESS_ONE_UID -> add(tokens, "uidmap", "0 " + uid + " 1", "gidmap", "0 " + gid + " 1", "newidmap", "0");
            case ROOT, CHROOT -> {
                // no user namespace: ids inside are host ids
            }
        }
        if (cgroups != null) {
            for (Path dir : cgroups.directories()) {
                add(tokens, "cgroup", dir.toString());
            }
        }
        switch (spec.rootfs()) {
            case Rootfs.Overlay overlay -> {
                for (Path lower : overlay.lowerdirs()) {
                    add(tokens, "lower", lower.toString());
                }
                try {
                    Files.createDirectories(mountPoint);
                    Files.createDirectories(overlay.upper());
                    Files.createDirectories(overlay.work());
                } catch (IOException e) {
                    throw new ContainerException("cannot create overlay directories: " + e.getMessage(), e);
                }
                add(tokens, "overlay", overlay.upper().toString(), overlay.work().toString(), mountPoint.toString());
            }
            case Rootfs.Directory directory -> add(tokens, "rootdir", directory.path().toString());
        }
        if (spec.network() == Network.HOST && isolation != Isolation.CHROOT) {
            for (String file : NAME_RESOLUTION_FILES) {
                privateCopy(Path.of(file), runDirectory).ifPresent(copy -> add(tokens, "bind", copy.toString(), file, "rw"));
            }
        }
        for (Mount mount : spec.mounts()) {
            switch (mount) {
                case Mount.Bind bind -> add(tokens, "bind", bind.source().toString(), bind.target(), bind.readOnly() ? "ro" : "rw");
                case Mount.Cache cache -> {
                    try {
                        Files.createDirectories(cache.hostDirectory());
                    } catch (IOException e) {
                        throw new ContainerException("cannot create cache directory " + cache.hostDirectory() + ": " + e.getMessage(), e);
                    }
                    add(tokens, "bind", cache.hostDirectory().toString(), cache.target(), "rw");
                }
                case Mount.Secret secret -> add(tokens, "bind", secret.file().toString(), secret.target(), "ro");
                case Mount.Tmpfs tmpfs -> add(tokens, "tmpfs", tmpfs.target(),
                        tmpfs.sizeBytes() > 0 ? "mode=1777,size=" + tmpfs.sizeBytes() : "mode=1777");
            }
        }
        if (isolation == Isolation.ROOT) {
            // Docker's default open-file limit, capped by the helper where the host's hard limit is lower
            add(tokens, "rlimit", "NOFILE", Long.toString(OPEN_FILES), Long.toString(OPEN_FILES));
        }
        for (Rlimit limit : spec.rlimits()) {
            add(tokens, "rlimit", limit.resource(), limit.softText(), limit.hardText());
        }
        add(tokens, "hostname", spec.hostname(), "cwd", spec.cwd());
        add(tokens, "uid", Integer.toUnsignedString(command.user().uid()), "gid", Integer.toUnsignedString(command.user().gid()));
        for (int group : command.user().supplementaryGroups()) {
            add(tokens, "group", Integer.toUnsignedString(group));
        }
        for (String entry : command.env()) {
            add(tokens, "env", entry);
        }
        for (String arg : spec.args()) {
            add(tokens, "arg", arg);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String token : tokens) {
            body.writeBytes(token.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        framed.writeBytes(("JBI1 " + body.size() + "\n").getBytes(StandardCharsets.US_ASCII));
        framed.writeBytes(body.toByteArray());
        return framed.toByteArray();
    }

    /**
     * With the host's network a command needs the host's name resolution, as Docker gives it: a private copy, so a
     * command that edits it changes neither the host's file nor the image's.
     */
    private static Optional<Path> privateCopy(Path hostFile, Path runDirectory) {
        if (!Files.isRegularFile(hostFile)) {
            return Optional.empty();
        }
        try {
            Path copy = runDirectory.resolve(hostFile.getFileName());
            Files.copy(hostFile, copy);
            return Optional.of(copy);
        } catch (IOException e) {
            throw new ContainerException("cannot copy " + hostFile + " for the container: " + e.getMessage(), e);
        }
    }

    private String flags(ContainerSpec spec) {
        String capabilities = spec.allCapabilities() ? "A" : "";
        if (isolation == Isolation.CHROOT) {
            return "R" + capabilities;
        }
        StringBuilder flags = new StringBuilder("MPTI").append(capabilities);
        if (isolation != Isolation.ROOT) {
            flags.append('U');
        }
        if (isolation == Isolation.ROOTLESS_ONE_UID) {
            flags.append('G');
        }
        if (spec.network() == Network.NONE) {
            flags.append('N');
        }
        if (HostFacts.cgroupNamespaces()) {
            flags.append('C');
        }
        return flags.toString();
    }

    private static void add(List<String> tokens, String... values) {
        tokens.addAll(List.of(values));
    }
}

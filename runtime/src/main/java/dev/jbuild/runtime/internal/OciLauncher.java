package dev.jbuild.runtime.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jbuild.oci.Json;
import dev.jbuild.runtime.ContainerException;
import dev.jbuild.runtime.ContainerSpec;
import dev.jbuild.runtime.ExitStatus;
import dev.jbuild.runtime.Mount;
import dev.jbuild.runtime.Network;
import dev.jbuild.runtime.Rlimit;
import dev.jbuild.runtime.Rootfs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a {@link ContainerSpec} with an external OCI runtime (runc, crun): the spec becomes a bundle's
 * {@code config.json}; an overlay rootfs is mounted in a private mount namespace made by util-linux
 * {@code unshare} just for that runtime process.
 */
public final class OciLauncher {
    private static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    /** Every capability up to CAP_CHECKPOINT_RESTORE (40), in number order (the index is the number). */
    private static final List<String> ALL_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
            "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN",
            "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
            "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    private final String runtime;

    public OciLauncher(String runtime) {
        this.runtime = runtime;
    }

    /** Writes the bundle, runs the runtime to the end, and deletes the container and the bundle. */
    public ExitStatus run(ContainerSpec spec, InputStream stdin, OutputStream stdout, OutputStream stderr) {
        if (HostFacts.effectiveUid() != 0) {
            throw new ContainerException(ContainerException.SETUP_FAILED, "--runtime " + runtime + " needs root in jbuild");
        }
        Path binary = runtime.contains("/") ? Path.of(runtime) : HostFacts.onPath(runtime).orElseThrow(() ->
                new ContainerException(ContainerException.SETUP_FAILED, "OCI runtime \"" + runtime + "\" not found on PATH"));
        PreparedCommand command = PreparedCommand.of(spec);
        String id = "jbuild-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path bundle = RunDirectories.create(id);
        try {
            Path rootfsPath = bundle.resolve("rootfs");
            Files.createDirectories(rootfsPath);
            List<String> argv = new ArrayList<>();
            switch (spec.rootfs()) {
                case Rootfs.Directory directory -> rootfsPath = directory.path();
                case Rootfs.Overlay overlay -> {
                    Files.createDirectories(overlay.upper());
                    Files.createDirectories(overlay.work());
                    argv.addAll(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                            "mount -t overlay overlay -o \"$1\" \"$2\" && shift 2 && exec \"$@\"", "sh",
                            overlayOptions(overlay), rootfsPath.toString()));
                }
            }
            Files.writeString(bundle.resolve("config.json"), Json.writePretty(config(spec, command, rootfsPath)));
            argv.addAll(List.of(binary.toString(), "run", "--bundle", bundle.toString(), id));
            HelperProcess.Outcome outcome = HelperProcess.run(argv, new byte[0], spec.timeout(), spec.stopGrace(),
                    stdin, stdout, stderr);
            int code = outcome.helperExitCode();
            int signal = code > 128 && code <= 128 + 64 ? code - 128 : 0;
            return new ExitStatus(Math.min(code, 255), signal, false, outcome.timedOut(), outcome.duration());
        } catch (IOException e) {
            throw new ContainerException("cannot write OCI bundle " + bundle + ": " + e.getMessage(), e);
        } finally {
            forceDelete(binary, id);
            RunDirectories.delete(bundle);
        }
    }

    static String overlayOptions(Rootfs.Overlay overlay) {
        StringBuilder lower = new StringBuilder();
        for (Path dir : overlay.lowerdirs()) {
            lower.append(lower.isEmpty() ? "" : ":").append(dir);
        }
        return "lowerdir=" + lower + ",upperdir=" + overlay.upper() + ",workdir=" + overlay.work()
                + ",userxattr,index=off,metacopy=off,redirect_dir=nofollow";
    }

    /** A limit as the runtime spec's uint64 takes it: {@link Rlimit#UNLIMITED} is all ones. */
    private static BigInteger unsigned(long limit) {
        return new BigInteger(Long.toUnsignedString(limit));
    }

    /** The OCI runtime-spec 1.0 configuration equivalent to what jbuild-init would set up. */
    static ObjectNode config(ContainerSpec spec, PreparedCommand command, Path rootfs) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("ociVersion", "1.0.2");
        ObjectNode process = config.putObject("process");
        process.put("terminal", false);
        ObjectNode user = process.putObject("user");
        user.put("uid", Integer.toUnsignedLong(command.user().uid()));
        user.put("gid", Integer.toUnsignedLong(command.user().gid()));
        ArrayNode groups = user.putArray("additionalGids");
        command.user().supplementaryGroups().forEach(group -> groups.add(Integer.toUnsignedLong(group)));
        strings(process.putArray("args"), spec.args());
        strings(process.putArray("env"), command.env());
        process.put("cwd", spec.cwd());
        ObjectNode caps = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            strings(caps.putArray(set), spec.allCapabilities() ? ownCapabilities() : CAPABILITIES);
        }
        process.put("noNewPrivileges", false);
        if (!spec.rlimits().isEmpty()) {
            ArrayNode rlimits = process.putArray("rlimits");
            for (Rlimit limit : spec.rlimits()) {
                ObjectNode entry = rlimits.addObject();
                entry.put("type", "RLIMIT_" + limit.resource());
                entry.put("hard", unsigned(limit.hard()));
                entry.put("soft", unsigned(limit.soft()));
            }
        }
        ObjectNode root = config.putObject("root");
        root.put("path", rootfs.toString());
        root.put("readonly", false);
        config.put("hostname", spec.hostname());
        ArrayNode mounts = config.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(mounts, "/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
        mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
        for (Mount extra : spec.mounts()) {
            switch (extra) {
                case Mount.Bind bind -> mount(mounts, bind.target(), "bind", bind.source().toString(),
                        List.of("rbind", bind.readOnly() ? "ro" : "rw"));
                case Mount.Cache cache -> mount(mounts, cache.target(), "bind", cache.hostDirectory().toString(), List.of("rbind", "rw"));
                case Mount.Secret secret -> mount(mounts, secret.target(), "bind", secret.file().toString(), List.of("bind", "ro"));
                case Mount.Tmpfs tmpfs -> mount(mounts, tmpfs.target(), "tmpfs", "tmpfs", tmpfs.sizeBytes() > 0
                        ? List.of("nosuid", "nodev", "mode=1777", "size=" + tmpfs.sizeBytes()) : List.of("nosuid", "nodev", "mode=1777"));
            }
        }
        ObjectNode linux = config.putObject("linux");
        ArrayNode namespaces = linux.putArray("namespaces");
        for (String type : List.of("pid", "ipc", "uts", "mount")) {
            namespaces.addObject().put("type", type);
        }
        if (spec.network() == Network.NONE) {
            namespaces.addObject().put("type", "network");
        }
        ObjectNode resources = linux.putObject("resources");
        if (spec.limits().memoryBytes() > 0) {
            resources.putObject("memory").put("limit", spec.limits().memoryBytes());
        }
        if (spec.limits().cpus() > 0) {
            resources.putObject("cpu").put("period", 100_000).put("quota", Math.round(spec.limits().cpus() * 100_000));
        }
        if (spec.limits().pids() > 0) {
            resources.putObject("pids").put("limit", spec.limits().pids());
        }
        strings(linux.putArray("maskedPaths"), List.of("/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"));
        strings(linux.putArray("readonlyPaths"), List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        return config;
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
        ObjectNode mount = mounts.addObject();
        mount.put("destination", destination);
        mount.put("type", type);
        mount.put("source", source);
        strings(mount.putArray("options"), options);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void forceDelete(Path binary, String id) {
        try {
            Process delete = new ProcessBuilder(binary.toString(), "delete", "--force", id)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            delete.waitFor();
        } catch (IOException e) {
            throw new ContainerException("cannot run " + binary + " delete " + id + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The capabilities this process has: a runtime cannot give a container more (Docker's privileged set). */
    private static List<String> ownCapabilities() {
        List<String> own = new ArrayList<>();
        for (int number = 0; number < ALL_CAPABILITIES.size(); number++) {
            if (HostFacts.hasCapability(number)) {
                own.add(ALL_CAPABILITIES.get(number));
            }
        }
        return own;
    }
}

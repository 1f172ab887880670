package dev.jbuild.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to run one command in a container; build one with {@link #builder(Rootfs, List)}.
 *
 * @param rootfs the root filesystem
 * @param args the command and its arguments; a command without a slash is looked up in the container's PATH
 * @param env environment entries {@code KEY=value}; PATH and HOME get Docker's defaults when missing
 * @param cwd absolute working directory, created when missing
 * @param user {@code uid[:gid]} or {@code name[:group]}, names resolved from the rootfs's /etc/passwd and /etc/group
 * @param hostname the container's host name
 * @param network the network the container sees
 * @param mounts extra mounts, applied in order
 * @param limits resource limits
 * @param rlimits the command's resource limits ({@code setrlimit}), after Docker's default open-file limit
 * @param timeout how long the command may run; {@link Duration#ZERO} for no limit
 * @param stopGrace how long a timed-out command gets between SIGTERM and SIGKILL
 * @param allCapabilities whether the command keeps every capability instead of Docker's default set
 *                        (BuildKit's {@code security.insecure}); it still has only what root has in its namespaces
 */
public record ContainerSpec(
        Rootfs rootfs,
        List<String> args,
        List<String> env,
        String cwd,
        String user,
        String hostname,
        Network network,
        List<Mount> mounts,
        Limits limits,
        List<Rlimit> rlimits,
        Duration timeout,
        Duration stopGrace,
        boolean allCapabilities) {

    public ContainerSpec {
        Objects.requireNonNull(rootfs, "rootfs");
        args = List.copyOf(args);
        env = List.copyOf(env);
        mounts = List.copyOf(mounts);
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(limits, "limits");
        rlimits = List.copyOf(rlimits);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(stopGrace, "stopGrace");
        if (args.isEmpty() || args.getFirst().isEmpty()) {
            throw new IllegalArgumentException("a container needs a command");
        }
        for (String entry : env) {
            if (entry.indexOf('=') <= 0) {
                throw new IllegalArgumentException("environment entry must be KEY=value: \"" + entry + "\"");
            }
        }
        if (!cwd.startsWith("/")) {
            throw new IllegalArgumentException("working directory must be absolute: \"" + cwd + "\"");
        }
        if (user.isEmpty() || user.startsWith(":") || user.endsWith(":")) {
            throw new IllegalArgumentException("user must be uid[:gid] or name[:group]: \"" + user + "\"");
        }
        if (hostname.isEmpty() || hostname.length() > 64) {
            throw new IllegalArgumentException("hostname must have 1 to 64 characters: \"" + hostname + "\"");
        }
        if (timeout.isNegative() || stopGrace.isNegative()) {
            throw new IllegalArgumentException("timeout and stop grace must not be negative");
        }
        for (String text : concat(args, env, List.of(cwd, user, hostname))) {
            if (text.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("NUL character in container spec: \"" + text.replace('\0', '?') + "\"");
            }
        }
    }

    /** A builder with Docker's defaults: root, cwd /, hostname "jbuild", no network, no limits, no timeout. */
    public static Builder builder(Rootfs rootfs, List<String> args) {
        return new Builder(rootfs, args);
    }

    private static List<String> concat(List<String> first, List<String> second, List<String> third) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        all.addAll(third);
        return all;
    }

    /** Builds a {@link ContainerSpec} step by step. */
    public static final class Builder {
        private final Rootfs rootfs;
        private final List<String> args;
        private final List<String> env = new ArrayList<>();
        private final List<Mount> mounts = new ArrayList<>();
        private String cwd = "/";
        private String user = "0";
        private String hostname = "jbuild";
        private Network network = Network.NONE;
        private Limits limits = Limits.NONE;
        private final List<Rlimit> rlimits = new ArrayList<>();
        private Duration timeout = Duration.ZERO;
        private Duration stopGrace = Duration.ofSeconds(10);
        private boolean allCapabilities;

        private Builder(Rootfs rootfs, List<String> args) {
            this.rootfs = rootfs;
            this.args = List.copyOf(args);
        }

        /** Adds {@code KEY=value} entries. */
        public Builder env(List<String> entries) {
            env.addAll(entries);
            return this;
        }

        /** Adds one environment variable. */
        public Builder env(String key, String value) {
            env.add(key + "=" + value);
            return this;
        }

        public Builder cwd(String directory) {
            cwd = directory;
            return this;
        }

        public Builder user(String userSpec) {
            user = userSpec;
            return this;
        }

        public Builder hostname(String name) {
            hostname = name;
            return this;
        }

        public Builder network(Network value) {
            network = value;
            return this;
        }

        public Builder mount(Mount mount) {
            mounts.add(mount);
            return this;
        }

        public Builder limits(Limits value) {
            limits = value;
            return this;
        }

        public Builder rlimit(Rlimit limit) {
            rlimits.add(limit);
            return this;
        }

        public Builder timeout(Duration limit, Duration grace) {
            timeout = limit;
            stopGrace = grace;
            return this;
        }

        /** Keeps every capability for the command instead of dropping to Docker's default set. */
        public Builder allCapabilities(boolean value) {
            allCapabilities = value;
            return this;
        }

        public ContainerSpec build() {
            return new ContainerSpec(rootfs, args, env, cwd, user, hostname, network, mounts, limits, rlimits, timeout,
                    stopGrace, allCapabilities);
        }
    }
}

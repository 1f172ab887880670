package dev.jbuild.oci;

import dev.jbuild.oci.internal.JsonCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The execution parameters of an image ({@code config} in the image config): user, ports, env,
 * entrypoint, command, volumes, working directory, labels, stop signal, plus Docker's
 * {@code Healthcheck}, {@code OnBuild} and {@code Shell}.
 *
 * <p>{@code entrypoint}, {@code cmd}, {@code shell} and {@code healthcheck} are null when unset,
 * which differs from set-but-empty; the other collections are empty when unset.
 */
public record ContainerConfig(
        String user,
        Set<String> exposedPorts,
        List<String> env,
        List<String> entrypoint,
        List<String> cmd,
        Set<String> volumes,
        String workingDir,
        Map<String, String> labels,
        String stopSignal,
        boolean argsEscaped,
        HealthCheck healthcheck,
        List<String> onBuild,
        List<String> shell,
        Map<String, Object> unknownFields) {

    /** The config of {@code FROM scratch}. */
    public static final ContainerConfig EMPTY = new ContainerConfig(null, null, null, null, null, null, null, null,
            null, false, null, null, null, null);

    public ContainerConfig {
        user = user == null ? "" : user;
        exposedPorts = exposedPorts == null ? Set.of() : copyOrderedSet(exposedPorts);
        env = env == null ? List.of() : List.copyOf(env);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        volumes = volumes == null ? Set.of() : copyOrderedSet(volumes);
        workingDir = workingDir == null ? "" : workingDir;
        labels = JsonCodec.copyOrdered(labels);
        stopSignal = stopSignal == null ? "" : stopSignal;
        onBuild = onBuild == null ? List.of() : List.copyOf(onBuild);
        shell = shell == null ? null : List.copyOf(shell);
        unknownFields = JsonCodec.copyOrdered(unknownFields);
    }

    private static Set<String> copyOrderedSet(Set<String> values) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    /** The value of {@code name} in {@link #env}, or null. */
    public String envValue(String name) {
        String prefix = name + "=";
        for (int i = env.size() - 1; i >= 0; i--) {
            if (env.get(i).startsWith(prefix)) {
                return env.get(i).substring(prefix.length());
            }
        }
        return null;
    }

    /** The names {@link #env} defines, in order. */
    public List<String> envNames() {
        List<String> names = new ArrayList<>(env.size());
        for (String entry : env) {
            int equals = entry.indexOf('=');
            names.add(equals < 0 ? entry : entry.substring(0, equals));
        }
        return names;
    }

    /** A builder seeded with this config, for the builder's config-changing instructions. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable staging for a new {@link ContainerConfig}; every setter returns the builder. */
    public static final class Builder {
        private String user;
        private final LinkedHashSet<String> exposedPorts;
        private final List<String> env;
        private List<String> entrypoint;
        private List<String> cmd;
        private final LinkedHashSet<String> volumes;
        private String workingDir;
        private final LinkedHashMap<String, String> labels;
        private String stopSignal;
        private boolean argsEscaped;
        private HealthCheck healthcheck;
        private final List<String> onBuild;
        private List<String> shell;
        private final Map<String, Object> unknownFields;

        private Builder(ContainerConfig from) {
            user = from.user;
            exposedPorts = new LinkedHashSet<>(from.exposedPorts);
            env = new ArrayList<>(from.env);
            entrypoint = from.entrypoint;
            cmd = from.cmd;
            volumes = new LinkedHashSet<>(from.volumes);
            workingDir = from.workingDir;
            labels = new LinkedHashMap<>(from.labels);
            stopSignal = from.stopSignal;
            argsEscaped = from.argsEscaped;
            healthcheck = from.healthcheck;
            onBuild = new ArrayList<>(from.onBuild);
            shell = from.shell;
            unknownFields = from.unknownFields;
        }

        public Builder user(String value) {
            user = value;
            return this;
        }

        public Builder exposePort(String port) {
            exposedPorts.add(port);
            return this;
        }

        /** Sets {@code name=value}, replacing an earlier value in place as Docker does. */
        public Builder env(String name, String value) {
            String prefix = name + "=";
            for (int i = 0; i < env.size(); i++) {
                if (env.get(i).startsWith(prefix)) {
                    env.set(i, prefix + value);
                    return this;
                }
            }
            env.add(prefix + value);
            return this;
        }

        public Builder entrypoint(List<String> value) {
            entrypoint = value;
            return this;
        }

        public Builder cmd(List<String> value) {
            cmd = value;
            return this;
        }

        public Builder volume(String path) {
            volumes.add(path);
            return this;
        }

        public Builder workingDir(String value) {
            workingDir = value;
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder stopSignal(String value) {
            stopSignal = value;
            return this;
        }

        public Builder argsEscaped(boolean value) {
            argsEscaped = value;
            return this;
        }

        public Builder healthcheck(HealthCheck value) {
            healthcheck = value;
            return this;
        }

        public Builder onBuild(List<String> triggers) {
            onBuild.clear();
            onBuild.addAll(triggers);
            return this;
        }

        public Builder addOnBuild(String trigger) {
            onBuild.add(trigger);
            return this;
        }

        public Builder shell(List<String> value) {
            shell = value;
            return this;
        }

        public ContainerConfig build() {
            return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
                    stopSignal, argsEscaped, healthcheck, onBuild, shell, unknownFields);
        }
    }
}

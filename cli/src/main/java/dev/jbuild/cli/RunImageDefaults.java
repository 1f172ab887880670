package dev.jbuild.cli;

import java.util.List;
import java.util.Objects;

/**
 * What an image's config contributes to {@code jbuild run}: entrypoint, default command, environment, working
 * directory and user; command-line options override them as in {@code docker run}.
 */
record RunImageDefaults(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user) {
    /** A plain directory rootfs has no config. */
    static final RunImageDefaults NONE = new RunImageDefaults(List.of(), List.of(), List.of(), "", "");

    RunImageDefaults {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        Objects.requireNonNull(workingDir, "workingDir");
        Objects.requireNonNull(user, "user");
    }
}

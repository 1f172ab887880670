package dev.jbuild.runtime.internal;

import dev.jbuild.runtime.ContainerSpec;
import java.util.ArrayList;
import java.util.List;

/** A spec's user resolved against its rootfs and its environment completed with Docker's defaults. */
public record PreparedCommand(UserResolver.ResolvedUser user, List<String> env) {
    /** Docker's default PATH for Linux containers. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public PreparedCommand {
        env = List.copyOf(env);
    }

    /** Resolves the user and fills in PATH, HOSTNAME and HOME when the spec does not set them. */
    public static PreparedCommand of(ContainerSpec spec) {
        UserResolver.ResolvedUser user = UserResolver.resolve(spec.user(),
                RootfsFiles.lines(spec.rootfs(), "etc/passwd"), RootfsFiles.lines(spec.rootfs(), "etc/group"));
        List<String> env = new ArrayList<>();
        if (!has(spec.env(), "PATH")) {
            env.add("PATH=" + DEFAULT_PATH);
        }
        if (!has(spec.env(), "HOSTNAME")) {
            env.add("HOSTNAME=" + spec.hostname());
        }
        env.addAll(spec.env());
        if (!has(spec.env(), "HOME")) {
            env.add("HOME=" + user.home());
        }
        return new PreparedCommand(user, env);
    }

    private static boolean has(List<String> env, String key) {
        return env.stream().anyMatch(entry -> entry.startsWith(key + "="));
    }
}

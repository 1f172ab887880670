package dev.jbuild.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one container in a separate JVM: {@link RootlessContainerIT} starts it as an unprivileged user, and
 * {@link ParentDeathIT} starts it to kill it while its container runs.
 * Arguments: result-file isolation lowerdir upperdir workdir user script. The container's output goes to this
 * process's stdout/stderr; the result file gets "exit N", "signal N" or "error CODE MESSAGE". With the
 * arguments result-file INFO it writes the detected isolation and the reasons for each step down instead.
 */
public final class RootlessDriver {
    private RootlessDriver() {
    }

    public static void main(String[] args) throws Exception {
        Path result = Path.of(args[0]);
        if (args[1].equals("INFO")) {
            HostInfo info = ContainerRuntime.hostInfo();
            Files.writeString(result, info.isolation() + "\n" + String.join("\n", info.reasons()) + "\n"
                    + ContainerRuntime.withIsolation(info.isolation()).uidMap(), StandardCharsets.UTF_8);
            return;
        }
        try {
            ContainerRuntime runtime = ContainerRuntime.withIsolation(Isolation.valueOf(args[1]));
            ContainerSpec spec = ContainerSpec.builder(
                            new Rootfs.Overlay(List.of(Path.of(args[2])), Path.of(args[3]), Path.of(args[4])),
                            List.of("sh", "-c", args[6]))
                    .user(args[5]).build();
            ExitStatus status = runtime.container(spec).run(null, System.out, System.err);
            Files.writeString(result, status.signal() != 0 ? "signal " + status.signal() : "exit " + status.exitCode(),
                    StandardCharsets.UTF_8);
        } catch (ContainerException e) {
            Files.writeString(result, "error " + e.exitCode() + " " + e.getMessage(), StandardCharsets.UTF_8);
        }
        System.out.flush();
    }
}

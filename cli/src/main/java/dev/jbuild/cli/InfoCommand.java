package dev.jbuild.cli;

import dev.jbuild.runtime.ContainerRuntime;
import dev.jbuild.runtime.HostInfo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jbuild info}: what the container runtime found on this host and which isolation it uses. */
@Command(name = "info", description = "Shows the kernel, overlay and cgroup support, subordinate ids and the container isolation in use.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        HostInfo info = ContainerRuntime.hostInfo();
        PrintWriter out = spec.commandLine().getOut();
        out.println("kernel:    " + info.kernel());
        out.println("overlay:   " + (info.overlay() ? "yes" : "no (overlay is not in /proc/filesystems)"));
        out.println("cgroups:   " + info.cgroups());
        out.println("subuid:    " + info.subuid());
        out.println("subgid:    " + info.subgid());
        out.println("isolation: " + RunIsolationConverter.name(info.isolation()));
        for (String reason : info.reasons()) {
            out.println("  " + reason);
        }
        out.flush();
        return ExitCode.OK;
    }
}

package dev.jbuild.cli;

import dev.jbuild.runtime.ContainerRuntime;
import dev.jbuild.runtime.Emulation;
import dev.jbuild.runtime.EmulationInstall;
import dev.jbuild.runtime.EmulationStatus;
import dev.jbuild.runtime.HostInfo;
import dev.jbuild.runtime.Rootfs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jbuild info}: what the container runtime found on this host and which isolation it uses. */
@Command(name = "info", description = "Shows the kernel, overlay and cgroup support, subordinate ids and the container isolation in use.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    JbuildCommand parent;

    @Option(names = "--install-emulators",
            description = "As root: mount binfmt_misc if needed and register the emulators of Debian's qemu-user-static.")
    boolean installEmulators;

    @Override
    public Integer call() throws IOException {
        HostInfo info = ContainerRuntime.hostInfo();
        PrintWriter out = spec.commandLine().getOut();
        out.println("kernel:    " + info.kernel());
        out.println("overlay:   " + (info.overlay() ? "yes" : "no (overlay is not in /proc/filesystems)"));
        Path store = parent.storeRoot();
        Path existing = store;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        out.println("store:     " + store + (existing == null || Rootfs.Overlay.canHoldUpper(existing) ? ""
                : " (on a file system that cannot hold an overlay's upper directory: RUN steps run in copied trees)"));
        out.println("cgroups:   " + info.cgroups());
        out.println("subuid:    " + info.subuid());
        out.println("subgid:    " + info.subgid());
        out.println("isolation: " + RunIsolationConverter.name(info.isolation()));
        for (String reason : info.reasons()) {
            out.println("  " + reason);
        }
        if (installEmulators) {
            EmulationInstall install = Emulation.install();
            out.println("emulators: " + (install.mounted() ? "mounted binfmt_misc, " : "") + "registered "
                    + install.registered().size() + ", already registered " + install.alreadyRegistered().size());
            install.failed().forEach((name, why) -> out.println("  " + name + ": " + why));
        }
        Emulation emulation = Emulation.probe();
        out.println("platforms: " + String.join(" ", emulation.runnablePlatforms().stream()
                .map(status -> status.platform().format() + (status instanceof EmulationStatus.Emulated e
                        ? " (" + e.handler().name() + ")" : "")).toList()));
        if (!emulation.mounted()) {
            out.println("  binfmt_misc is not mounted: no foreign platform runs here (as root: jbuild info --install-emulators)");
        }
        out.flush();
        return ExitCode.OK;
    }
}

package dev.jbuild.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/** One command in one container, ready to run; get one from {@link ContainerRuntime#container(ContainerSpec)}. */
public final class Container {
    /** How a container is actually started (the jbuild-init helper or an external OCI runtime). */
    @FunctionalInterface
    interface Launcher {
        ExitStatus run(ContainerSpec spec, InputStream stdin, OutputStream stdout, OutputStream stderr);
    }

    private final ContainerSpec spec;
    private final Launcher launcher;

    Container(ContainerSpec spec, Launcher launcher) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.launcher = launcher;
    }

    /** The spec this container runs. */
    public ContainerSpec spec() {
        return spec;
    }

    /**
     * Runs the command to its end and removes everything the run created except the overlay's upper directory
     * (mounts, cgroups, processes, scratch files). Output is written to {@code stdout}/{@code stderr} as the command
     * produces it; {@code stdin} may be null for an empty input, and any stream argument may be null to discard.
     *
     * @throws ContainerException when the container cannot start: missing command or user, impossible mount, …
     */
    public ExitStatus run(InputStream stdin, OutputStream stdout, OutputStream stderr) {
        return launcher.run(spec, stdin, stdout, stderr);
    }
}

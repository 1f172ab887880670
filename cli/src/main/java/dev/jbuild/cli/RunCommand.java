package dev.jbuild.cli;

import dev.jbuild.oci.ContainerConfig;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Layer;
import dev.jbuild.oci.Platform;
import dev.jbuild.runtime.ContainerException;
import dev.jbuild.runtime.ContainerRuntime;
import dev.jbuild.runtime.ContainerSpec;
import dev.jbuild.runtime.Emulation;
import dev.jbuild.runtime.EmulationStatus;
import dev.jbuild.runtime.ExitStatus;
import dev.jbuild.runtime.Isolation;
import dev.jbuild.runtime.Limits;
import dev.jbuild.runtime.Mount;
import dev.jbuild.runtime.Network;
import dev.jbuild.runtime.Rlimit;
import dev.jbuild.runtime.Rootfs;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.DirectoryTrees;
import dev.jbuild.store.LayerApplier;
import dev.jbuild.store.Store;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code jbuild run}: runs an image from the store (or a plain directory) in a container and exits with its exit code. */
@Command(name = "run", modelTransformer = RunCommand.OptionsEndAtCommand.class,
        description = "Runs an image from the store, or a command over --rootfs DIR, in a container; exits with the "
                + "command's exit code.")
final class RunCommand implements Callable<Integer> {
    /** Like {@code docker run}, everything after the first positional argument belongs to the container's command. */
    static final class OptionsEndAtCommand implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec commandSpec) {
            commandSpec.parser().stopAtPositional(true);
            return commandSpec;
        }
    }

    @ParentCommand
    JbuildCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--rootfs", paramLabel = "DIR",
            description = "Run over this directory (read-only bottom layer) instead of an image; then no IMAGE is given.")
    Path rootfs;

    @Option(names = "--rm", description = "Delete the container's changes when it exits (otherwise they are kept and their path printed).")
    boolean remove;

    @Option(names = {"-i", "--interactive"}, description = "Feed this command's standard input to the container's "
            + "command; without it, as with docker run, the command's input is empty.")
    boolean interactive;

    @Option(names = "--network", paramLabel = "none|host", defaultValue = "none",
            description = "Network: none (only lo, the default) or host.")
    Network network;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set an environment variable (repeatable).")
    List<String> env = new ArrayList<>();

    @Option(names = {"-v", "--volume"}, paramLabel = "HOST_PATH:CONTAINER_PATH[:ro|rw]",
            description = "Bind a host file or directory into the container, writable unless :ro (repeatable).")
    List<String> volumes = new ArrayList<>();

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "uid[:gid] or name[:group] from the rootfs's /etc/passwd.")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container.")
    String workdir;

    @Option(names = "--hostname", paramLabel = "NAME", defaultValue = "jbuild", description = "Host name inside the container.")
    String hostname;

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", converter = RunSizeConverter.class,
            description = "Memory limit, e.g. 512m (needs root isolation).")
    Long memory;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU quota in CPUs, e.g. 0.5 (needs root isolation).")
    double cpus;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Maximum number of processes (needs root isolation).")
    long pids;

    @Option(names = "--ulimit", paramLabel = "NAME=SOFT[:HARD]",
            description = "A resource limit of the command, e.g. nofile=1024:2048 (repeatable).")
    List<String> ulimits = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop the command after this many seconds (SIGTERM, then SIGKILL 10 s later).")
    long timeoutSeconds;

    @Option(names = "--isolation", paramLabel = "MODE", converter = RunIsolationConverter.class,
            description = "Force an isolation: root, rootless-subuid, rootless-one-uid or chroot (default: the strongest available).")
    Isolation isolation;

    @Option(names = "--runtime", paramLabel = "runc|crun", description = "Run with an external OCI runtime instead of the built-in one.")
    String ociRuntime;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "The platform to run: picks it from an image that is an index (default: this machine's), "
                    + "and a foreign one needs a registered emulator (jbuild info lists them), checked before the "
                    + "container starts.")
    String platform;

    @Parameters(paramLabel = "IMAGE [CMD…]", arity = "0..*",
            description = "The image (unless --rootfs is given), then the command and its arguments (default: the "
                    + "image's entrypoint and cmd).")
    List<String> arguments = new ArrayList<>();

    private List<String> command = List.of();

    @Override
    public Integer call() throws IOException {
        if (rootfs != null) {
            if (!Files.isDirectory(rootfs)) {
                throw new UsageException("--rootfs " + rootfs + " is not a directory");
            }
            command = arguments;
            if (command.isEmpty()) {
                throw new UsageException("with --rootfs, give the command to run");
            }
            if (platform != null && !emulatorAvailable(Pull.parsePlatform(platform))) {
                return ContainerException.SETUP_FAILED;
            }
            return runOverLayers(List.of(rootfs), copy -> DirectoryTrees.copy(rootfs, copy), RunImageDefaults.NONE);
        }
        if (arguments.isEmpty()) {
            throw new UsageException("name the image to run, or give --rootfs DIR");
        }
        command = arguments.subList(1, arguments.size());
        Store store = Store.open(parent.storeRoot());
        Platform wanted = platform == null ? Platform.current() : Pull.parsePlatform(platform);
        Image image = store.image(TagCommand.parseReference(arguments.getFirst()).toString(), wanted);
        ImageConfig imageConfig = image.config();
        boolean platformKnown = !imageConfig.os().isEmpty() && !imageConfig.architecture().isEmpty();
        if (!emulatorAvailable(platformKnown ? imageConfig.platform() : wanted)) {
            return ContainerException.SETUP_FAILED;
        }
        ContainerConfig config = imageConfig.config();
        List<Path> lowerdirs = new ArrayList<>(store.unpackedLayers(image));
        Collections.reverse(lowerdirs);
        if (lowerdirs.isEmpty()) {
            throw new UsageException(arguments.getFirst() + " has no layers to run");
        }
        return runOverLayers(lowerdirs, copy -> {
            for (Layer layer : image.layers()) {
                try (InputStream blob = store.open(layer.descriptor())) {
                    LayerApplier.apply(blob, copy, ApplyMode.FLATTEN);
                }
            }
        }, new RunImageDefaults(
                config.entrypoint() == null ? List.of() : config.entrypoint(),
                config.cmd() == null ? List.of() : config.cmd(),
                config.env(), config.workingDir(), config.user()));
    }

    /** False, after printing how to get one, when programs of {@code target} need an emulator this host lacks. */
    private boolean emulatorAvailable(Platform target) throws IOException {
        if (Emulation.probe().status(target) instanceof EmulationStatus.Missing missing) {
            spec.commandLine().getErr().println("error: " + missing.explanation());
            spec.commandLine().getErr().flush();
            return false;
        }
        return true;
    }

    /** Writes a container's root file system into a directory. */
    @FunctionalInterface
    interface RootfsCopy {
        void into(Path directory) throws IOException;
    }

    /**
     * Runs the command over {@code lowerdirs} (top layer first) with an upper directory of its own under the store's
     * {@code containers/} directory; {@code --rm} deletes it afterwards. Where there can be no overlay (chroot
     * isolation, or a store on a file system that cannot hold its upper directory), the command runs in a copy
     * made by {@code copy} there instead. Image defaults apply where no option is given.
     */
    int runOverLayers(List<Path> lowerdirs, RootfsCopy copy, RunImageDefaults defaults) {
        ContainerRuntime runtime = runtime();
        Path containerDirectory = parent.storeRoot().resolve("containers").resolve(UUID.randomUUID().toString().replace("-", ""));
        boolean overlayPossible = runtime.isolation() != Isolation.CHROOT
                && Rootfs.Overlay.canHoldUpper(parent.storeRoot());
        Rootfs.Overlay overlay = Rootfs.Overlay.in(containerDirectory, lowerdirs);
        Path copied = containerDirectory.resolve("rootfs");
        List<String> args = new ArrayList<>(defaults.entrypoint());
        args.addAll(command.isEmpty() ? defaults.cmd() : command);
        if (args.isEmpty()) {
            throw new UsageException("no command given and the image has no entrypoint or cmd");
        }
        ContainerSpec.Builder builder = ContainerSpec.builder(overlayPossible ? overlay : new Rootfs.Directory(copied), args)
                .env(defaults.env())
                .env(env)
                .cwd(workdir != null ? workdir : defaults.workingDir().isEmpty() ? "/" : defaults.workingDir())
                .user(user != null ? user : defaults.user().isEmpty() ? "0" : defaults.user())
                .hostname(hostname)
                .network(network)
                .limits(new Limits(memory == null ? 0 : memory, cpus, pids));
        if (timeoutSeconds > 0) {
            builder.timeout(Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(10));
        }
        ContainerSpec containerSpec;
        try {
            ulimits.stream().map(Rlimit::parse).forEach(builder::rlimit);
            volumes.stream().map(RunCommand::volume).forEach(builder::mount);
            containerSpec = builder.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        try {
            Files.createDirectories(containerDirectory);
            if (!overlayPossible) {
                copy.into(Files.createDirectory(copied));
            }
            // without -i the container must not read the caller's input: a script's loop or a CI runner may own it
            ExitStatus status = runtime.container(containerSpec).run(interactive ? System.in : null, standardOutput(),
                    standardError());
            if (!status.success() && (status.signal() != 0 || status.timedOut())) {
                spec.commandLine().getErr().println("jbuild run: " + status.describe());
            }
            return status.exitCode();
        } catch (ContainerException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return e.exitCode();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create container directory " + containerDirectory, e);
        } finally {
            if (remove) {
                overlay.deleteUpperAndWork();
                deleteCopy(copied);
                deleteEmpty(containerDirectory);
            } else if (Files.isDirectory(overlay.upper())) {
                spec.commandLine().getErr().println("jbuild run: the container's changes are kept in " + overlay.upper());
            } else if (Files.isDirectory(copied)) {
                spec.commandLine().getErr().println("jbuild run: the container's file system is kept in " + copied);
            }
            spec.commandLine().getErr().flush();
        }
    }

    private ContainerRuntime runtime() {
        if (ociRuntime != null) {
            if (isolation != null) {
                throw new UsageException("--runtime and --isolation cannot be combined");
            }
            return ContainerRuntime.withOciRuntime(ociRuntime);
        }
        try {
            return isolation != null ? ContainerRuntime.withIsolation(isolation) : ContainerRuntime.detect();
        } catch (ContainerException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** A {@code -v HOST:CONTAINER[:ro|rw]} bind mount; the host side must exist. */
    static Mount.Bind volume(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()
                || (parts.length == 3 && !parts[2].equals("ro") && !parts[2].equals("rw"))) {
            throw new IllegalArgumentException("invalid volume \"" + spec + "\" (expected HOST_PATH:CONTAINER_PATH[:ro|rw])");
        }
        Path host = Path.of(parts[0]).toAbsolutePath();
        if (!Files.exists(host)) {
            throw new IllegalArgumentException("volume " + spec + ": " + host + " does not exist");
        }
        return new Mount.Bind(host, parts[1], parts.length == 3 && parts[2].equals("ro"));
    }

    /** Deletes a copied root file system, symbolic links as links. */
    private static void deleteCopy(Path directory) {
        try {
            DirectoryTrees.delete(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory, e);
        }
    }

    private static void deleteEmpty(Path directory) {
        try {
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory, e);
        }
    }

    // the container writes straight to the process's descriptors so its output is not buffered by PrintStreams
    private static OutputStream standardOutput() {
        return new FileOutputStream(FileDescriptor.out);
    }

    private static OutputStream standardError() {
        return new FileOutputStream(FileDescriptor.err);
    }
}

package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.builder.BuildException;
import dev.jbuild.builder.ExtraHost;
import dev.jbuild.builder.RunSettings;
import dev.jbuild.dockerfile.Command;
import dev.jbuild.dockerfile.ExpansionException;
import dev.jbuild.dockerfile.Heredoc;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.RunMount;
import dev.jbuild.oci.Digester;
import dev.jbuild.runtime.ContainerSpec;
import dev.jbuild.runtime.ExitStatus;
import dev.jbuild.runtime.Isolation;
import dev.jbuild.runtime.Mount;
import dev.jbuild.runtime.Network;
import dev.jbuild.runtime.Rlimit;
import dev.jbuild.runtime.Rootfs;
import dev.jbuild.store.BlobWriter;
import dev.jbuild.store.LayerBlob;
import dev.jbuild.store.LayerChange;
import dev.jbuild.store.LayerWriter;
import dev.jbuild.store.UpperDirDiff;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A RUN step: the command through the image's SHELL (or exec form, or a heredoc script) in a
 * container over an overlay of the image's layers, with the step's user, env, working directory,
 * network and mounts; the overlay's upperdir becomes the step's layer.
 */
final class RunStep {
    private static final Pattern ONLY_HEREDOC = Pattern.compile("\\s*<<-?\\s*[\"']?[A-Za-z0-9_.-]+[\"']?\\s*");
    private static final int FAILURE_TAIL = 8 * 1024;
    private static final String HOSTS = "/etc/hosts";

    private final StepContext context;
    private final Instruction.Run run;
    private final List<String> argv;
    private final List<RunMount> mounts;
    private final Map<String, String> recordedArgs;
    private final String createdBy;
    private final boolean insecure;
    private final String network;

    RunStep(StepContext context, Instruction.Run run) throws ExpansionException, BuildException {
        this.context = context;
        this.run = run;
        this.insecure = run.security().filter("insecure"::equals).isPresent();
        if (insecure && !context.session().request.run().entitlements().contains(RunSettings.SECURITY_INSECURE)) {
            throw new BuildException(context.line(), "line " + context.line() + ": RUN --security=insecure needs the "
                    + RunSettings.SECURITY_INSECURE + " entitlement: build with --allow " + RunSettings.SECURITY_INSECURE,
                    null);
        }
        // --network on the command line sets the default and, as with buildx, needs no entitlement for host
        this.network = run.network().orElse(context.session().request.run().network());
        if (!network.equals("none")) {
            context.session().networked();
        }
        if (run.network().filter("host"::equals).isPresent()
                && !context.session().request.run().entitlements().contains(RunSettings.NETWORK_HOST)) {
            throw new BuildException(context.line(), "line " + context.line() + ": RUN --network=host needs the "
                    + RunSettings.NETWORK_HOST + " entitlement: build with --allow " + RunSettings.NETWORK_HOST, null);
        }
        this.argv = argv(context, run);
        List<RunMount> parsed = new ArrayList<>();
        for (String spec : run.mountSpecs()) {
            parsed.add(RunMount.parse(context.expand(spec)));
        }
        this.mounts = List.copyOf(parsed);
        this.recordedArgs = context.scope().valuedArgsInOrder();
        StringBuilder text = new StringBuilder("RUN ");
        if (!recordedArgs.isEmpty()) {
            text.append('|').append(recordedArgs.size());
            recordedArgs.forEach((name, value) -> text.append(' ').append(name).append('=').append(value));
            text.append(' ');
        }
        text.append(String.join(" ", argv)).append(" # buildkit");
        this.createdBy = text.toString();
    }

    /** The step's cache key: its history text (args included), the args, and what its mounts read. */
    StepKey key() throws IOException, BuildException, InterruptedException {
        Digester digester = Digester.sha256();
        for (String spec : run.mountSpecs()) {
            update(digester, "mount:" + spec);
        }
        update(digester, "network:" + network);
        for (ExtraHost host : context.session().request.run().extraHosts()) {
            update(digester, "host:" + host.line());
        }
        for (Rlimit limit : context.session().request.run().ulimits()) {
            update(digester, "ulimit:" + limit.resource() + "=" + limit.softText() + ":" + limit.hardText());
        }
        if (context.session().request.run().shmSize() > 0) {
            update(digester, "shm:" + context.session().request.run().shmSize());
        }
        if (insecure) {
            update(digester, "security:insecure");
        }
        for (RunMount mount : mounts) {
            if (mount instanceof RunMount.Bind bind) {
                Optional<ContextTree> named = bind.from().isPresent()
                        ? context.session().namedDirectory(bind.from().get()) : Optional.empty();
                // a stage or image is content-addressed: its config (diffIDs included) stands for its files
                update(digester, bind.source() + "=" + (bind.from().isPresent() && named.isEmpty()
                        ? "from " + SourceStages.state(context, bind.from().get()).configDigest()
                        : ContextDigests.of(named.orElse(context.session().context), bind.source())));
            }
        }
        return new StepKey(context.state().configDigest(), createdBy, context.scope().valuedArgs(), digester.digest());
    }

    private static void update(Digester digester, String text) {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        digester.update(bytes, 0, bytes.length);
    }

    private static List<String> argv(StepContext context, Instruction.Run run) {
        List<String> shell = ConfigChanges.shell(context.state().config().config());
        if (run.command() instanceof Command.ShellForm form && !run.heredocs().isEmpty()) {
            if (run.heredocs().size() == 1 && ONLY_HEREDOC.matcher(form.script()).matches()) {
                List<String> argv = new ArrayList<>(shell);
                argv.add(run.heredocs().getFirst().effectiveContent());
                return argv;
            }
            StringBuilder script = new StringBuilder(form.script());
            for (Heredoc heredoc : run.heredocs()) {
                script.append('\n').append(heredoc.content()).append(heredoc.name());
            }
            List<String> argv = new ArrayList<>(shell);
            argv.add(script.toString());
            return argv;
        }
        return ConfigChanges.argv(run.command(), shell);
    }

    /** Runs the command and turns its changes into a layer. */
    ImageState execute(int step) throws IOException, BuildException, InterruptedException {
        BuildSession session = context.session();
        if (session.runtime.get().isolation() == Isolation.CHROOT || !session.overlayUpperUsable()) {
            return executeInDirectory(step);
        }
        ImageState state = context.state();
        Path scratch = session.scratchDirectory("run");
        Path upper = scratch.resolve("upper");
        Path work = scratch.resolve("work");
        Files.createDirectories(upper);
        Files.createDirectories(work);
        List<Path> lowers = session.layers.topFirst(state.layers());
        List<Path> overlayLowers = lowers;
        if (lowers.isEmpty()) {
            Path empty = scratch.resolve("empty");
            Files.createDirectories(empty);
            overlayLowers = List.of(empty);
        }
        ContainerSpec.Builder spec = spec(new Rootfs.Overlay(overlayLowers, upper, work), state);
        // the runtime's own mount points; like the step's mounts, they leave no trace when absent below
        List<String> mountTargets = new ArrayList<>(List.of("/dev", "/proc", "/sys"));
        runContainer(step, spec, scratch, mountTargets, spec::mount);
        List<LayerChange> allChanges = UpperDirDiff.changes(upper, lowers);
        LayeredTree below = new LayeredTree(lowers);
        List<LayerChange> changes = MountStubs.remove(allChanges, mountTargets, path -> below.find(path).isPresent());
        ImageState next = commit(state, changes);
        // the upperdir is already this layer in overlay form, unless mount points had to be left out of the layer
        if (changes.size() == allChanges.size() && session.request.sourceDateEpoch().isEmpty()) {
            session.layers.adopt(next.layers(), upper);
        }
        return next;
    }

    /**
     * Runs the command where there is no overlay (chroot isolation, or a store where overlayfs cannot
     * keep an upper directory): in a flattened copy of the parent, whose changes since a snapshot make
     * the layer. Under chroot isolation, without namespaces, a mount's content is copied to its target
     * (and a cache's copied back after the step), there is no {@code /proc} or {@code /sys} inside, and
     * neither an SSH agent nor {@code --network=none} can be had.
     */
    private ImageState executeInDirectory(int step) throws IOException, BuildException, InterruptedException {
        BuildSession session = context.session();
        boolean namespaces = session.runtime.get().isolation() != Isolation.CHROOT;
        if (!namespaces && mounts.stream().anyMatch(RunMount.Ssh.class::isInstance)) {
            throw new BuildException(context.line(), "line " + context.line() + ": RUN --mount=type=ssh needs mount "
                    + "namespaces, which chroot isolation does not have (jbuild info says why it is in use)", null);
        }
        if (!namespaces && "none".equals(network)) {
            // a step that asked for no network must not get the host's
            throw new BuildException(context.line(), "line " + context.line() + ": RUN --network=none needs a network "
                    + "namespace, which chroot isolation does not have (jbuild info says why it is in use)", null);
        }
        ImageState state = context.state();
        Path scratch = session.scratchDirectory("run");
        DirectoryRootfs rootfs = DirectoryRootfs.forStep(session.store, state.layers(), scratch,
                session.takeCopiedTree(context.stage().index()));
        Map<String, String> files = new LinkedHashMap<>();
        Path hostResolver = Path.of("/etc/resolv.conf");
        if (!"none".equals(network) && !rootfs.has("etc/resolv.conf") && Files.isRegularFile(hostResolver)) {
            files.put("etc/resolv.conf", Files.readString(hostResolver));
        }
        ContainerSpec.Builder spec = spec(new Rootfs.Directory(rootfs.root()), state);
        // with namespaces, the runtime mounts its own file systems and the step's mounts over the tree
        List<String> mountTargets = new ArrayList<>(namespaces ? List.of("/dev", "/proc", "/sys") : List.of());
        rootfs.add(files);
        runContainer(step, spec, scratch, mountTargets, namespaces ? spec::mount : new MountHandling() {
            private final List<Mount.Cache> caches = new ArrayList<>();

            @Override
            public void add(Mount mount) throws IOException {
                rootfs.place(mount);
                if (mount instanceof Mount.Cache cache) {
                    caches.add(cache);
                }
            }

            @Override
            public void afterRun() throws IOException {
                for (Mount.Cache cache : caches) {
                    rootfs.keep(cache);
                }
            }
        });
        ImageState next = commit(state, rootfs.changes(mountTargets));
        try {
            rootfs.clearMounts(mountTargets);
            rootfs.ran(next);
            session.keepCopiedTree(context.stage().index(), rootfs);
        } catch (IOException cannotRestore) {
            // the step left its tree so that what the image had at a mount target cannot come back
            // (it removed the target's directory, say): the stage's next RUN step flattens afresh
        }
        return next;
    }

    /** What becomes of the mounts a step gets: the runtime mounts them, or their content is copied into its tree. */
    private interface MountHandling {
        void add(Mount mount) throws IOException;

        /** Called after the command ran, while the step still holds its caches. */
        default void afterRun() throws IOException {
        }
    }

    /**
     * Runs the command with the build's and the step's mounts (handed to {@code handling}, their targets
     * added to {@code mountTargets}) and fails the step, with the end of its output, unless it succeeds.
     */
    private void runContainer(int step, ContainerSpec.Builder spec, Path scratch, List<String> mountTargets,
                              MountHandling handling) throws IOException, BuildException, InterruptedException {
        BuildSession session = context.session();
        for (Mount extra : buildMounts(scratch)) {
            handling.add(extra);
            mountTargets.add(extra.target());
        }
        OutputTail tail = new OutputTail(FAILURE_TAIL);
        ExitStatus status;
        try (CacheMounts.StepCaches caches = CacheMounts.acquire(context, mounts);
             SshMounts agents = SshMounts.open(context, mounts, scratch)) {
            for (RunMount mount : mounts) {
                for (Mount resolved : RunMounts.resolve(context, mount, scratch, caches, agents).mounts()) {
                    handling.add(resolved);
                    mountTargets.add(resolved.target());
                }
                RunMounts.environment(context, mount).forEach(spec::env);
            }
            try (OutputStream out = new EventStream(session, step, false, tail);
                 OutputStream err = new EventStream(session, step, true, tail)) {
                status = session.runtime.get().container(spec.build()).run(null, out, err);
            }
            handling.afterRun();
        }
        if (!status.success()) {
            throw new BuildException(context.line(), "line " + context.line() + ": process \""
                    + String.join(" ", argv) + "\" did not complete successfully: " + status.describe()
                    + (tail.text().isEmpty() ? "" : "\n" + tail.text()), null);
        }
    }

    private ContainerSpec.Builder spec(Rootfs rootfs, ImageState state) {
        ContainerSpec.Builder spec = ContainerSpec.builder(rootfs, argv)
                .env(environment(state))
                .cwd(state.config().config().workingDir().isEmpty() ? "/" : state.config().config().workingDir())
                .user(state.config().config().user().isEmpty() ? "0" : state.config().config().user())
                .hostname("buildkitsandbox")
                .network("none".equals(network) ? Network.NONE : Network.HOST)
                .allCapabilities(insecure);
        context.session().request.run().ulimits().forEach(spec::rlimit);
        // a limit changes whether a step succeeds, not what it makes: it is no part of the key, as with docker build
        spec.limits(context.session().request.run().limits());
        return spec;
    }

    /**
     * The mounts every step gets besides its own: a {@code /dev/shm} of the {@code --shm-size} asked for,
     * and an {@code /etc/hosts} with the {@code --add-host} lines.
     */
    private List<Mount> buildMounts(Path scratch) throws IOException {
        List<Mount> mounts = new ArrayList<>();
        long shmSize = context.session().request.run().shmSize();
        if (shmSize > 0) {
            mounts.add(new Mount.Tmpfs("/dev/shm", shmSize));
        }
        if (!context.session().request.run().extraHosts().isEmpty()) {
            mounts.add(new Mount.Bind(hostsFile(scratch), HOSTS, false));
        }
        return mounts;
    }

    /** Writes {@code changes} as the step's layer; returns the state with it. */
    private ImageState commit(ImageState state, List<LayerChange> changes) throws IOException {
        LayerBlob blob;
        try (BlobWriter writer = context.session().store.newBlob()) {
            blob = LayerWriter.writeChanges(changes, writer, context.session().layerOptions);
            writer.commit(blob.mediaType());
        }
        return state.withLayer(new ImageState.LayerRef(blob.descriptor(), blob.diffId()),
                context.history(createdBy, false));
    }

    /**
     * The step's {@code /etc/hosts} with the {@code --add-host} lines: the host's own file when the step
     * shares its network, else loopback names only, as BuildKit writes them.
     */
    private Path hostsFile(Path scratch) throws IOException {
        Path hostFile = Path.of(HOSTS);
        StringBuilder hosts = new StringBuilder(!"none".equals(network) && Files.isRegularFile(hostFile)
                ? Files.readString(hostFile) : "127.0.0.1\tlocalhost buildkitsandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        if (!hosts.isEmpty() && hosts.charAt(hosts.length() - 1) != '\n') {
            hosts.append('\n');
        }
        for (ExtraHost host : context.session().request.run().extraHosts()) {
            hosts.append(host.line()).append('\n');
        }
        return Files.writeString(scratch.resolve("hosts"), hosts);
    }

    private List<String> environment(ImageState state) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : state.config().config().env()) {
            int equals = entry.indexOf('=');
            env.put(entry.substring(0, equals), entry.substring(equals + 1));
        }
        Map<String, String> args = new LinkedHashMap<>(context.scope().undeclaredProxyArgs());
        args.putAll(context.scope().valuedArgsInOrder());
        args.forEach(env::putIfAbsent);
        List<String> entries = new ArrayList<>();
        env.forEach((name, value) -> entries.add(name + "=" + value));
        return entries;
    }

    /** Forwards a RUN's output to progress events and keeps its tail for the failure message. */
    private static final class EventStream extends OutputStream {
        private final BuildSession session;
        private final int step;
        private final boolean stderr;
        private final OutputTail tail;

        EventStream(BuildSession session, int step, boolean stderr, OutputTail tail) {
            this.session = session;
            this.step = step;
            this.stderr = stderr;
            this.tail = tail;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            tail.add(buffer, offset, length);
            session.progress().onEvent(new BuildEvent.StepOutput(step, stderr,
                    new String(buffer, offset, length, StandardCharsets.UTF_8)));
        }
    }

    /** The last bytes a command wrote, on both streams. */
    private static final class OutputTail {
        private final int limit;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        OutputTail(int limit) {
            this.limit = limit;
        }

        synchronized void add(byte[] buffer, int offset, int length) {
            bytes.write(buffer, offset, length);
            if (bytes.size() > 2 * limit) {
                byte[] all = bytes.toByteArray();
                bytes.reset();
                bytes.write(all, all.length - limit, limit);
            }
        }

        synchronized String text() {
            byte[] all = bytes.toByteArray();
            int from = Math.max(0, all.length - limit);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8).strip();
        }
    }
}

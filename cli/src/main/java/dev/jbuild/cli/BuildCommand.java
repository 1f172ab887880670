package dev.jbuild.cli;

import dev.jbuild.builder.Annotation;
import dev.jbuild.builder.BuildEvent;
import dev.jbuild.builder.BuildException;
import dev.jbuild.builder.BuildRequest;
import dev.jbuild.builder.BuildResult;
import dev.jbuild.builder.Builder;
import dev.jbuild.builder.CacheExport;
import dev.jbuild.builder.CacheLocation;
import dev.jbuild.builder.ExtraHost;
import dev.jbuild.builder.ImageFormat;
import dev.jbuild.builder.MultiPlatformBuilder;
import dev.jbuild.builder.MultiPlatformResult;
import dev.jbuild.builder.NamedContext;
import dev.jbuild.builder.Output;
import dev.jbuild.builder.Provenance;
import dev.jbuild.dockerfile.Warning;
import dev.jbuild.oci.Platform;
import dev.jbuild.registry.RegistryException;
import dev.jbuild.runtime.Isolation;
import dev.jbuild.runtime.Limits;
import dev.jbuild.runtime.Rlimit;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.store.Store;
import dev.jbuild.store.StoreException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jbuild build}: builds an image from a Dockerfile with Docker's flags, into the store and the requested outputs. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Builds an image from a Dockerfile and a context: a directory, a git repository, or a tar on "
                + "stdin (-).")
final class BuildCommand implements Callable<Integer> {
    @ParentCommand
    JbuildCommand parent;

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "The build context: a directory, a git repository "
            + "(URL[#REF[:DIR]], as docker build takes it), or - for a tar on stdin.")
    String context;

    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "The Dockerfile (default: CONTEXT/Dockerfile); - reads it from stdin.")
    String file;

    @Option(names = "--build-context", paramLabel = "NAME=DIR|docker-image://REF|oci-layout://DIR[:TAG]",
            description = "A named context that FROM NAME, COPY --from=NAME and RUN --mount from=NAME read, "
                    + "instead of the stage or image of that name (repeatable).")
    List<String> buildContexts = new ArrayList<>();

    @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name and tag the image (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]", description = "A build argument; KEY alone takes the value from the environment (repeatable).")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--target", paramLabel = "STAGE", description = "Build this stage (default: the last).")
    String target;

    @Option(names = "--no-cache", description = "Run every step; use no cached result.")
    boolean noCache;

    @Option(names = "--no-cache-filter", split = ",", paramLabel = "STAGE", description = "Stages whose steps always run.")
    List<String> noCacheFilter = new ArrayList<>();

    @Option(names = "--cache-from", paramLabel = "type=registry,ref=REF|type=local,src=DIR",
            description = "Also look for cached steps in this shared cache, which --cache-to wrote (repeatable).")
    List<String> cacheFrom = new ArrayList<>();

    @Option(names = "--cache-to", paramLabel = "type=registry,ref=REF|type=local,dest=DIR[,mode=min|max]",
            description = "Write the build's cached steps there for --cache-from on other machines: those of the "
                    + "image's stages (mode=min, the default) or of every stage (mode=max) (repeatable).")
    List<String> cacheTo = new ArrayList<>();

    @Option(names = "--pull", description = "Fetch base images even when the store has them.")
    boolean pull;

    @Option(names = "--push", description = "Push every tag to its registry after the build.")
    boolean push;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT][,…]",
            description = "The platform to build for; several, comma-separated, make a multi-platform image (an index).")
    String platform;

    @Option(names = "--max-parallel-platforms", paramLabel = "N",
            description = "With several platforms: how many are built at the same time (default: as many as there are CPUs).")
    Integer maxParallelPlatforms;

    @Option(names = {"-o", "--output"}, paramLabel = "type=TYPE,dest=PATH", description = "Also write the image as "
            + "type=oci|docker|local|tar|registry (repeatable); dest=- (or -o -, a tar of the file tree) is standard output.")
    List<String> outputs = new ArrayList<>();

    @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image ID (config digest) to FILE.")
    Path iidFile;

    @Option(names = "--metadata-file", paramLabel = "FILE", description = "Write the build's metadata (digests, names) as JSON to FILE.")
    Path metadataFile;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Set a label on the image (repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--annotation", paramLabel = "[TYPE[,TYPE][[PLATFORM]]:]KEY=VALUE", description = "Write an OCI "
            + "annotation on the image manifest, or (TYPE) the index or its manifest descriptors (repeatable).")
    List<String> annotations = new ArrayList<>();

    @Option(names = "--secret", paramLabel = "id=ID[,src=FILE|,env=VAR]", description = "Expose a secret to RUN --mount=type=secret (repeatable).")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--ssh", paramLabel = "default|ID[=SOCKET|KEY[,KEY...]]", description = "Forward an SSH agent socket, "
            + "or private key files through an ssh-agent of this build, to RUN --mount=type=ssh (repeatable).")
    List<String> ssh = new ArrayList<>();

    @Option(names = "--network", paramLabel = "MODE", description = "The network of RUN steps without their own "
            + "--network: default (the host's), none, or host.")
    String network = "default";

    @Option(names = "--add-host", paramLabel = "NAME:ADDRESS", description = "Add a line to the /etc/hosts of every "
            + "RUN step; host-gateway stands for this machine (repeatable).")
    List<String> addHosts = new ArrayList<>();

    @Option(names = "--ulimit", paramLabel = "NAME=SOFT[:HARD]",
            description = "A resource limit of every RUN step's command, e.g. nofile=65536:65536 (repeatable).")
    List<String> ulimits = new ArrayList<>();

    @Option(names = "--shm-size", paramLabel = "SIZE", converter = RunSizeConverter.class,
            description = "The size of every RUN step's /dev/shm, e.g. 256m (default: 64m).")
    Long shmSize;

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", converter = RunSizeConverter.class,
            description = "The memory limit of every RUN step, e.g. 512m (a cgroup limit: needs root isolation).")
    Long memory;

    @Option(names = "--cpu-quota", paramLabel = "MICROSECONDS",
            description = "The CPU time every RUN step may use per --cpu-period (a cgroup limit: needs root isolation).")
    long cpuQuota;

    @Option(names = "--cpu-period", paramLabel = "MICROSECONDS",
            description = "The period of --cpu-quota (default: 100000, a tenth of a second).")
    long cpuPeriod = 100_000;

    @Option(names = "--isolation", paramLabel = "MODE", converter = RunIsolationConverter.class,
            description = "Isolate RUN steps this way: root, rootless-subuid, rootless-one-uid or chroot (default: the "
                    + "strongest available; chroot needs no overlay or namespaces).")
    Isolation isolation;

    @Option(names = "--allow", split = ",", paramLabel = "ENTITLEMENT",
            description = "Allow a privileged step: security.insecure lets RUN --security=insecure keep every capability;"
                    + " network.host lets RUN --network=host share the host's network.")
    List<String> entitlements = new ArrayList<>();

    @Option(names = "--progress", paramLabel = "MODE",
            description = "Progress output: auto, tty, plain, json or quiet (default: auto).")
    BuildProgress.Mode progress = BuildProgress.Mode.AUTO;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but the image ID on success (--progress quiet);"
            + " a failed step is still shown with its output.")
    boolean quiet;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Manifest format: oci (default) or docker.")
    String format = "oci";

    @Mixin
    BuildxCompatibility compatibility;

    @Mixin
    AttestationOptions attestations;

    @Option(names = "--call", paramLabel = "build|check|outline|targets[,format=json]",
            description = "What to do, as buildx's --call: build (the default); check (as --check); outline (the "
                    + "target's build args, secrets and SSH agents); targets (the Dockerfile's stages). Builds nothing "
                    + "but with build.")
    String call;

    @Option(names = "--check", description = "Only run the Dockerfile's checks and list what they find "
            + "(exit 1 when they find anything); build nothing.")
    boolean check;

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        List<Closeable> cleanup = new ArrayList<>();
        BuildProgress display = new BuildProgress(err, quiet ? BuildProgress.Mode.QUIET : progress);
        try {
            BuildRequest request = request(display, cleanup);
            BuildCalls calls = call == null ? new BuildCalls(check ? "check" : "build", false) : BuildCalls.parse(call);
            if (!calls.method().equals("build")) {
                return answer(calls, request, display, err);
            }
            boolean outputOnStdout = request.outputs().stream().anyMatch(Output::toStandardOutput);
            if (outputOnStdout && System.console() != null && System.console().isTerminal()) {
                throw new IllegalArgumentException("refusing to write a tar to a terminal: give dest=FILE or redirect "
                        + "the output");
            }
            // with an output on standard output, that output is all it holds: the digest goes to standard error
            PrintStream digestOut = outputOnStdout ? err : System.out;
            List<Platform> platforms = platforms();
            if (platforms.size() > 1) {
                return buildIndex(request, platforms, display, digestOut);
            }
            if (platforms.size() == 1) {
                MultiPlatformBuilder.create(Store.open(parent.storeRoot()), RegistryOptions.defaults())
                        .requireRunnable(request, platforms);
            }
            BuildResult result = Builder.create(Store.open(parent.storeRoot())).build(request);
            display.printChecks();
            digestOut.println(result.configDigest());
            return ExitCode.OK;
        } catch (BuildException e) {
            display.printChecks();
            err.println("error: " + e.getMessage());
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof RegistryException) {
                    // a base image that could not be pulled is a registry failure, as for jpull
                    return ExitCode.REGISTRY;
                }
            }
            return ExitCode.FAILURE;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCode.USAGE;
        } catch (RegistryException e) {
            err.println("error: " + e.getMessage());
            return ExitCode.REGISTRY;
        } catch (StoreException e) {
            err.println("error: " + e.getMessage());
            return ExitCode.STORE;
        } finally {
            IOException failure = null;
            for (Closeable resource : cleanup) {
                try {
                    resource.close();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private BuildRequest request(BuildProgress display, List<Closeable> cleanup) throws IOException {
        Optional<Provenance> provenance = attestations.provenance();
        boolean contextFromStdin = context.equals("-");
        if (contextFromStdin && "-".equals(file)) {
            throw new IllegalArgumentException("the context and the Dockerfile cannot both come from stdin");
        }
        InputStream stdin = System.in;
        boolean remoteContext = BuildRequest.Context.Git.isGitUrl(context);
        BuildRequest.Builder request = BuildRequest.builder(contextFromStdin ? new BuildRequest.Context.Tarball(stdin)
                : remoteContext ? new BuildRequest.Context.Git(context)
                : new BuildRequest.Context.Directory(Path.of(context)));
        provenance.ifPresent(request::provenance);
        if ("-".equals(file)) {
            request.dockerfile(new BuildRequest.DockerfileSource.Text(new String(stdin.readAllBytes(), StandardCharsets.UTF_8)));
        } else if (file != null) {
            // as docker build: -f names a file of a remote context, and of this directory for a local one
            request.dockerfile(new BuildRequest.DockerfileSource.File(remoteContext ? Path.of(file)
                    : Path.of(file).toAbsolutePath()));
        }
        buildContexts.stream().map(NamedContext::parse).forEach(request::buildContext);
        tags.forEach(request::tag);
        for (String arg : buildArgs) {
            int equals = arg.indexOf('=');
            if (equals < 0) {
                String value = System.getenv(arg);
                if (value != null) {
                    request.buildArg(arg, value);
                }
            } else {
                request.buildArg(arg.substring(0, equals), arg.substring(equals + 1));
            }
        }
        if (target != null) {
            request.target(target);
        }
        request.noCache(noCache).noCacheFilter(new LinkedHashSet<>(noCacheFilter)).pull(pull);
        cacheFrom.stream().map(CacheLocation::parseImport).forEach(request::cacheFrom);
        cacheTo.stream().map(CacheExport::parse).forEach(request::cacheTo);
        if (platform != null && platforms().size() == 1) {
            request.platform(platforms().getFirst());
        }
        if (push) {
            request.output(new Output.Registry());
        }
        for (String output : outputs) {
            request.output(Output.parse(output));
        }
        if (iidFile != null) {
            request.iidFile(iidFile);
        }
        if (metadataFile != null) {
            request.metadataFile(metadataFile);
        }
        for (String label : labels) {
            int equals = label.indexOf('=');
            request.label(equals < 0 ? label : label.substring(0, equals), equals < 0 ? "" : label.substring(equals + 1));
        }
        annotations.stream().map(Annotation::parse).forEach(request::annotation);
        for (String secret : secrets) {
            addSecret(request, secret, cleanup);
        }
        for (String agent : ssh) {
            int equals = agent.indexOf('=');
            String id = equals < 0 ? agent : agent.substring(0, equals);
            String source = equals < 0 ? System.getenv("SSH_AUTH_SOCK") : agent.substring(equals + 1);
            if (source == null || source.isEmpty()) {
                throw new IllegalArgumentException("--ssh " + agent + ": no socket given and SSH_AUTH_SOCK is not set");
            }
            request.ssh(id, sshSocket(id, source, cleanup));
        }
        entitlements.forEach(request::allow);
        request.network(network);
        ulimits.stream().map(Rlimit::parse).forEach(request::ulimit);
        if (shmSize != null) {
            request.shmSize(shmSize);
        }
        if (cpuQuota < 0 || cpuPeriod <= 0) {
            throw new IllegalArgumentException("--cpu-quota must not be negative and --cpu-period must be positive");
        }
        request.limits(new Limits(memory == null ? 0 : memory, (double) cpuQuota / cpuPeriod, 0));
        if (isolation != null) {
            request.isolation(isolation);
        }
        addHosts.stream().map(ExtraHost::parse).forEach(request::addHost);
        request.format(ImageFormat.parse(format));
        String epoch = buildArgs.stream().filter(a -> a.startsWith("SOURCE_DATE_EPOCH=")).map(a -> a.substring(18))
                .findFirst().orElse(System.getenv("SOURCE_DATE_EPOCH"));
        if (epoch != null && !epoch.isBlank()) {
            try {
                request.sourceDateEpoch(Long.parseLong(epoch.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("SOURCE_DATE_EPOCH must be a number of seconds: \"" + epoch + "\"", e);
            }
        }
        request.progress(display);
        return request.build();
    }

    /** The platforms of {@code --platform}, in the order given; empty without the option. */
    private List<Platform> platforms() {
        if (platform == null) {
            return List.of();
        }
        List<Platform> parsed = new ArrayList<>();
        for (String one : platform.split(",")) {
            parsed.add(Platform.parse(one.strip()));
        }
        return parsed;
    }

    private int buildIndex(BuildRequest request, List<Platform> platforms, BuildProgress display, PrintStream digestOut)
            throws IOException, BuildException {
        int parallel = maxParallelPlatforms != null ? maxParallelPlatforms
                : Math.min(platforms.size(), Runtime.getRuntime().availableProcessors());
        MultiPlatformResult result = MultiPlatformBuilder.create(Store.open(parent.storeRoot()), RegistryOptions.defaults())
                .build(request, platforms, parallel);
        display.printChecks();
        // the digest a user can pull: the pushed index when there was a push
        digestOut.println(result.exported().digest());
        return ExitCode.OK;
    }

    /** {@code --call check|targets|outline}: what the Dockerfile says, without building. */
    private int answer(BuildCalls calls, BuildRequest request, BuildProgress display, PrintStream err)
            throws IOException, BuildException {
        Builder builder = Builder.create(Store.open(parent.storeRoot()));
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        switch (calls.method()) {
            case "targets" -> BuildCalls.printTargets(builder.targets(request), calls.json(), out);
            case "outline" -> BuildCalls.printOutline(builder.outline(request), calls.json(), out);
            default -> {
                return checkOnly(request, display, err);
            }
        }
        return ExitCode.OK;
    }

    /** {@code --check}: the checks' findings, a closing line as buildx prints it, and exit 1 when there are any. */
    private int checkOnly(BuildRequest request, BuildProgress display, PrintStream err) throws IOException, BuildException {
        List<Warning> warnings = Builder.create(Store.open(parent.storeRoot())).check(request);
        for (Warning warning : warnings) {
            display.onEvent(new BuildEvent.CheckWarning(warning.rule(), warning.message(), warning.line()));
        }
        display.printChecks();
        if (!display.isJson()) {
            int count = warnings.size();
            err.println(count == 0 ? "Check complete, no warnings found."
                    : "Check complete, " + count + (count == 1 ? " warning has" : " warnings have") + " been found!");
        }
        return warnings.isEmpty() ? ExitCode.OK : ExitCode.FAILURE;
    }

    /**
     * The agent socket of {@code --ssh ID=SOURCE}: SOURCE itself when it names one path that is not a
     * regular file (a socket, checked when a step mounts it), else an agent started for SOURCE's key files.
     */
    private static Path sshSocket(String id, String source, List<Closeable> cleanup) throws IOException {
        List<Path> paths = Arrays.stream(source.split(",")).map(Path::of).toList();
        if (paths.size() == 1 && !Files.isRegularFile(paths.getFirst())) {
            return paths.getFirst();
        }
        for (Path key : paths) {
            if (!Files.isRegularFile(key)) {
                throw new IllegalArgumentException("--ssh " + id + ": " + key + " is not a key file");
            }
        }
        SshKeyAgent keyAgent = SshKeyAgent.start(id, paths);
        cleanup.add(keyAgent);
        return keyAgent.socket();
    }

    private static void addSecret(BuildRequest.Builder request, String spec, List<Closeable> cleanup) throws IOException {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String field : spec.split(",")) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("invalid --secret \"" + spec + "\": fields are key=value");
            }
            fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
        String id = fields.get("id");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("invalid --secret \"" + spec + "\": id= is required");
        }
        String source = fields.getOrDefault("src", fields.get("source"));
        String variable = fields.get("env");
        if (source == null && variable == null) {
            variable = System.getenv(id) != null ? id : null;
            source = variable == null ? id : null;
        }
        if (source != null) {
            Path path = Path.of(source);
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("--secret " + id + ": " + source + " is not a readable file");
            }
            request.secret(id, path.toAbsolutePath());
            return;
        }
        String value = System.getenv(variable);
        if (value == null) {
            throw new IllegalArgumentException("--secret " + id + ": environment variable " + variable + " is not set");
        }
        Path holder = Files.createTempFile("jbuild-secret-", "", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        cleanup.add(() -> Files.deleteIfExists(holder));
        Files.writeString(holder, value);
        request.secret(id, holder);
    }
}

package dev.jbuild.builder.internal;

import dev.jbuild.builder.Annotation;
import dev.jbuild.builder.BuildEvent;
import dev.jbuild.builder.BuildException;
import dev.jbuild.builder.BuildOutline;
import dev.jbuild.builder.BuildRequest;
import dev.jbuild.builder.BuildResult;
import dev.jbuild.builder.CacheExport;
import dev.jbuild.builder.CachedStep;
import dev.jbuild.builder.Material;
import dev.jbuild.builder.Output;
import dev.jbuild.builder.ProgressListener;
import dev.jbuild.dockerfile.BuildChecks;
import dev.jbuild.dockerfile.Dockerfile;
import dev.jbuild.dockerfile.Warning;
import dev.jbuild.oci.ContainerConfig;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.runtime.ContainerRuntime;
import dev.jbuild.runtime.Isolation;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.BuildScratch;
import dev.jbuild.store.FileDigests;
import dev.jbuild.store.LayerApplier;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** One build from request to result: context, Dockerfile, plan, stages on virtual threads, commit, tags and outputs. */
public final class BuildRun {
    /** Docker's Dockerfile frontend, any version or channel, by tag or digest. */
    private static final Pattern DOCKERFILE_FRONTEND = Pattern.compile(
            "(docker\\.io/)?docker/dockerfile(-upstream)?(:[\\w.-]+)?(@sha256:[0-9a-f]{64})?");

    private final Store store;
    private final RegistryOptions registryOptions;
    private final Supplier<ContainerRuntime> runtime;
    private final BuildRequest request;
    private final boolean cacheExported;

    /**
     * A build of {@code request}; {@code cacheExported} when its steps go to a {@code --cache-to}, its own or
     * that of the multi-platform build it is part of.
     */
    public BuildRun(Store store, RegistryOptions registryOptions, Supplier<ContainerRuntime> runtime, BuildRequest request,
                    boolean cacheExported) {
        this.cacheExported = cacheExported;
        this.store = store;
        this.registryOptions = registryOptions;
        Optional<Isolation> isolation = request.run().isolation();
        this.runtime = isolation.isPresent()
                ? new OnFirstUse<>(() -> ContainerRuntime.withIsolation(isolation.get())) : runtime;
        this.request = request;
    }

    public BuildResult run() throws BuildException, IOException {
        Instant startedOn = Instant.now();
        // on the store's file system, so staging directories and upperdirs can be renamed into layers/
        try (BuildScratch work = store.newBuildScratch();
             CacheImports imports = new CacheImports(store, request.cacheFrom(), registryOptions, request.progress())) {
            Input input = input(work.path());
            reportFrontend(input.dockerfile());
            reportChecks(input.dockerfile());
            Platform platform = request.platform().orElse(Platform.current()).normalized();
            BuildPlan plan = BuildPlan.of(input.dockerfile(), request.buildArgs(), request.target(), platform,
                    Platform.current().normalized(), request.namedContexts().keySet());
            ContextTree context = new ContextTree(input.contextRoot(),
                    ContextTree.ignoreFor(input.contextRoot(), input.source().path()),
                    request.context() instanceof BuildRequest.Context.Directory
                            ? store.fileDigests(input.contextRoot(), !request.noCache()) : FileDigests.none());
            BaseImages images = new BaseImages(store, registryOptions, request.pull(), request.progress(),
                    request.namedContexts());
            BuildSession session = new BuildSession(store, request, plan, platform, context, work.path(), images, runtime,
                    BuildChecks.of(input.dockerfile()), imports, cacheExported);
            input.contextCommit().ifPresent(session::fetched);
            try {
                return commit(session, runStages(session), input.source(), startedOn);
            } finally {
                session.saveFileDigests();
            }
        }
    }

    /** Reads and parses the Dockerfile as {@link #run} would, and returns what its checks find; builds nothing. */
    public List<Warning> check() throws BuildException, IOException {
        try (BuildScratch work = store.newBuildScratch()) {
            return input(work.path()).dockerfile().warnings();
        }
    }

    /** Reads the Dockerfile as {@link #run} would and lists its stages; builds nothing. */
    public List<BuildOutline.Target> targets() throws BuildException, IOException {
        try (BuildScratch work = store.newBuildScratch()) {
            return Outlines.targets(input(work.path()).dockerfile());
        }
    }

    /** Reads the Dockerfile as {@link #run} would and tells what building the request's target takes; builds nothing. */
    public BuildOutline outline() throws BuildException, IOException {
        try (BuildScratch work = store.newBuildScratch()) {
            Dockerfile dockerfile = input(work.path()).dockerfile();
            Platform platform = request.platform().orElse(Platform.current()).normalized();
            return Outlines.outline(dockerfile, BuildPlan.of(dockerfile, request.buildArgs(), request.target(), platform,
                    Platform.current().normalized(), request.namedContexts().keySet()));
        }
    }

    /** The context directory, the Dockerfile as read and parsed, and the commit of a git context. */
    private record Input(Path contextRoot, DockerfileText source, Dockerfile dockerfile,
                         Optional<Material> contextCommit) {
    }

    private Input input(Path work) throws BuildException, IOException {
        Optional<Material> contextCommit = Optional.empty();
        Path contextRoot = switch (request.context()) {
            case BuildRequest.Context.Directory directory -> {
                if (!Files.isDirectory(directory.path())) {
                    throw new BuildException("build context " + directory.path() + " is not a directory");
                }
                yield directory.path().toAbsolutePath().normalize();
            }
            case BuildRequest.Context.Tarball tarball -> {
                Path extracted = work.resolve("context");
                Files.createDirectories(extracted);
                LayerApplier.apply(tarball.stream(), extracted, ApplyMode.FLATTEN);
                yield extracted;
            }
            case BuildRequest.Context.Git git -> {
                GitSources.Source source = GitSources.parse(git.url());
                GitSources.Use use = GitSources.Use.context(source);
                request.progress().onEvent(new BuildEvent.Message("fetching the build context " + git.url()));
                try {
                    GitSources.Resolved resolved = GitSources.resolve(use, source);
                    contextCommit = Optional.of(Material.gitCommit(source.remote(), resolved.commit()));
                    yield GitSources.checkout(use, resolved, work.resolve("context"));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while fetching " + git.url());
                }
            }
        };
        DockerfileText source = DockerfileText.read(request, contextRoot);
        return new Input(contextRoot, source, source.parse(), contextCommit);
    }

    /**
     * Says so when the Dockerfile's {@code # syntax=} names a frontend other than Docker's Dockerfile
     * frontend: jbuild reads every Dockerfile itself and runs no frontend image.
     */
    private void reportFrontend(Dockerfile dockerfile) {
        dockerfile.directives().syntax().filter(syntax -> !DOCKERFILE_FRONTEND.matcher(syntax).matches())
                .ifPresent(syntax -> request.progress().onEvent(new BuildEvent.Message("the Dockerfile asks for the "
                        + "frontend " + syntax + "; jbuild builds it with its own Dockerfile frontend")));
    }

    /** Reports the Dockerfile's check warnings, and stops the build on them when it says {@code check=error=true}. */
    private void reportChecks(Dockerfile dockerfile) throws BuildException {
        for (Warning warning : dockerfile.warnings()) {
            request.progress().onEvent(new BuildEvent.CheckWarning(warning.rule(), warning.message(), warning.line()));
        }
        if (dockerfile.warningsAreErrors() && !dockerfile.warnings().isEmpty()) {
            throw new BuildException(BuildChecks.violation(dockerfile.warnings().stream().map(Warning::rule).distinct()
                    .toList()));
        }
    }

    private ImageState runStages(BuildSession session) throws BuildException, IOException {
        for (PlannedStage stage : session.plan.stages()) {
            session.stageResults.put(stage.index(), new CompletableFuture<>());
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PlannedStage stage : session.plan.stages()) {
                CompletableFuture<ImageState> result = session.stageResults.get(stage.index());
                executor.submit(() -> {
                    try {
                        result.complete(new StageExecutor(session, stage).run());
                    } catch (Throwable failure) {
                        result.completeExceptionally(failure);
                    }
                });
            }
            return session.stageResults.get(session.plan.target()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("build interrupted", e);
        } catch (ExecutionException e) {
            throw rootCause(e.getCause());
        }
    }

    private static BuildException rootCause(Throwable failure) throws IOException {
        Throwable cause = failure;
        while (cause instanceof BuildException build && build.getMessage().startsWith("stage ")
                && build.getCause() != null) {
            cause = build.getCause();
        }
        if (cause instanceof BuildException build) {
            return build;
        }
        if (cause instanceof IOException io) {
            throw io;
        }
        if (cause instanceof RuntimeException runtimeException) {
            throw runtimeException;
        }
        return new BuildException(String.valueOf(cause.getMessage()), cause);
    }

    /** The {@code --annotation}s of the image manifest; index annotations need a multi-platform build. */
    private Map<String, String> manifestAnnotations(Platform platform) throws BuildException {
        Map<String, String> annotations = new LinkedHashMap<>();
        for (Annotation annotation : request.annotations()) {
            if (!annotation.levels().equals(Set.of(Annotation.Level.MANIFEST))) {
                throw new BuildException("--annotation " + annotation.key() + ": index and manifest-descriptor "
                        + "annotations need an index: build for several platforms (--platform a,b)");
            }
            if (annotation.appliesTo(Annotation.Level.MANIFEST, platform)) {
                annotations.put(annotation.key(), annotation.value());
            }
        }
        return annotations;
    }

    private BuildResult commit(BuildSession session, ImageState target, DockerfileText dockerfile, Instant startedOn)
            throws IOException, BuildException {
        ImageConfig config = target.config();
        if (!request.labels().isEmpty()) {
            ContainerConfig.Builder builder = config.config().toBuilder();
            request.labels().forEach(builder::label);
            config = config.withConfig(builder.build());
        }
        Instant created = request.sourceDateEpoch().isPresent()
                ? Instant.ofEpochSecond(request.sourceDateEpoch().getAsLong())
                : StageExecutor.createdOf(config);
        config = config.withCreated(created);
        ImageState image = target.withConfig(config);
        Descriptor manifest = ImageWriter.write(store, image, request.format(), manifestAnnotations(session.platform));
        Digest configDigest = Digest.sha256(config.toJson());
        List<String> tags = new ArrayList<>();
        for (String tag : request.tags()) {
            Reference reference = Reference.parse(tag);
            store.tag(reference, manifest);
            tags.add(reference.toString());
        }
        ProgressListener progress = request.progress();
        progress.onEvent(new BuildEvent.Message("writing image " + manifest.digest() + " (config " + configDigest
                + ") done"));
        tags.forEach(tag -> progress.onEvent(new BuildEvent.Message("naming to " + tag + " done")));
        Instant finishedOn = Instant.now();
        List<Material> materials = session.materials();
        Optional<ProvenanceAttestations> attestations = ProvenanceAttestations.of(store, request, dockerfile,
                Map.of(session.platform, new ProvenanceAttestations.Run(startedOn, finishedOn, materials,
                        session.hermetic())));
        Exporter exporter = new Exporter(store, registryOptions, progress, attestations);
        // what a registry or an OCI layout received (with gzip layers) is the image users go on to name
        Descriptor exported = manifest;
        for (Output output : request.outputs()) {
            Descriptor written = exporter.export(output, manifest, image, tags);
            if (output instanceof Output.Registry || output instanceof Output.OciLayout) {
                exported = written;
            }
        }
        if (!exported.equals(manifest)) {
            progress.onEvent(new BuildEvent.Message("exported with gzip layers as " + exported.digest() + " done"));
        }
        List<CachedStep> steps = session.ranSteps();
        CacheExporter cacheExporter = new CacheExporter(store, registryOptions, progress);
        for (CacheExport export : request.cacheTo()) {
            cacheExporter.export(steps, export);
        }
        if (request.iidFile().isPresent()) {
            Files.writeString(request.iidFile().get(), configDigest.toString());
        }
        if (request.metadataFile().isPresent()) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("containerimage.config.digest", configDigest.toString());
            metadata.put("containerimage.digest", exported.digest().toString());
            Map<String, Object> descriptor = new LinkedHashMap<>();
            descriptor.put("mediaType", exported.mediaType());
            descriptor.put("digest", exported.digest().toString());
            descriptor.put("size", exported.size());
            metadata.put("containerimage.descriptor", descriptor);
            if (!tags.isEmpty()) {
                metadata.put("image.name", String.join(",", tags));
            }
            Files.writeString(request.metadataFile().get(), Json.writePretty(metadata));
        }
        return new BuildResult(manifest, exported, configDigest, tags, steps, startedOn, finishedOn, materials,
                session.hermetic());
    }
}

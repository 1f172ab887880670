package dev.jbuild.builder;

import dev.jbuild.builder.internal.CacheExporter;
import dev.jbuild.builder.internal.DockerfileText;
import dev.jbuild.builder.internal.Exporter;
import dev.jbuild.builder.internal.ProvenanceAttestations;
import dev.jbuild.builder.internal.multiplatform.BaseImageCheck;
import dev.jbuild.builder.internal.multiplatform.EmulationCheck;
import dev.jbuild.builder.internal.multiplatform.PlatformProgress;
import dev.jbuild.builder.internal.multiplatform.SharedStages;
import dev.jbuild.builder.internal.multiplatform.StagePlatforms;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Json;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.registry.RegistryOptions;
import dev.jbuild.runtime.Emulation;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds one Dockerfile for several platforms, as {@code docker buildx build --platform a,b} does: one
 * build per platform (each with its own {@code TARGET*} args and base images resolved for it), run at
 * the same time up to a limit, then an OCI index (or a Docker manifest list with
 * {@link ImageFormat#DOCKER}) over their images, with each entry's full platform, stored under the
 * request's tags and pushed after its images. Stages every platform would run identically on the build
 * platform ({@code FROM --platform=$BUILDPLATFORM} without {@code TARGET*} args) are built once first and
 * reach the platforms' builds through the build cache. A platform whose RUN steps this host cannot execute
 * (no binfmt_misc emulator) fails the build before anything runs.
 *
 * <pre>{@code
 * MultiPlatformResult result = MultiPlatformBuilder.create(store, RegistryOptions.defaults())
 *         .build(request, List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64")), 2);
 * }</pre>
 */
public final class MultiPlatformBuilder {
    private final Store store;
    private final RegistryOptions registryOptions;
    private final Builder builder;
    private final Emulation emulation;
    /** One step numbering for every build this builder runs, so progress lines of parallel builds stay apart. */
    private final AtomicInteger sharedSteps = new AtomicInteger();

    private MultiPlatformBuilder(Store store, RegistryOptions registryOptions, Emulation emulation) {
        this.store = Objects.requireNonNull(store, "store");
        this.registryOptions = Objects.requireNonNull(registryOptions, "registryOptions");
        this.emulation = Objects.requireNonNull(emulation, "emulation");
        this.builder = Builder.create(store, registryOptions);
    }

    /** A multi-platform builder over {@code store} that checks this host's binfmt_misc for emulators. */
    public static MultiPlatformBuilder create(Store store, RegistryOptions registryOptions) throws IOException {
        return new MultiPlatformBuilder(store, registryOptions, Emulation.probe());
    }

    /** A multi-platform builder that takes {@code emulation} as what this host can run. */
    public static MultiPlatformBuilder create(Store store, RegistryOptions registryOptions, Emulation emulation) {
        return new MultiPlatformBuilder(store, registryOptions, emulation);
    }

    /**
     * Builds {@code request} (whose own platform is ignored) for each of {@code platforms}, at most
     * {@code parallelism} at a time.
     *
     * @throws BuildException           when a platform cannot run its RUN steps here (before anything runs), or a
     *                                  platform's build fails (the message names the platform)
     * @throws IllegalArgumentException when the request asks for what a multi-platform build cannot do
     */
    public MultiPlatformResult build(BuildRequest request, List<Platform> platforms, int parallelism)
            throws BuildException, IOException {
        List<Platform> targets = distinct(platforms);
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        BuildRequest.Context.Directory context = switch (request.context()) {
            case BuildRequest.Context.Directory directory -> directory;
            case BuildRequest.Context.Tarball tarball -> throw new IllegalArgumentException(
                    "a build context from standard input can be read only once: give a directory to build for "
                            + "several platforms");
            case BuildRequest.Context.Git git -> throw new IllegalArgumentException(
                    "a multi-platform build reads its context from a directory: clone " + git.url() + " first");
        };
        for (Output output : request.outputs()) {
            if (output instanceof Output.DockerArchive) {
                throw new IllegalArgumentException("--output " + output + " is not supported for a multi-platform "
                        + "build: a docker archive holds no index; push it, write it as an OCI layout (type=oci), or "
                        + "copy the index from the store with jbuild copy --all-platforms");
            }
        }
        boolean push = request.outputs().stream().anyMatch(o -> o instanceof Output.Registry);
        if (push && request.tags().isEmpty()) {
            throw new IllegalArgumentException("--push needs at least one -t NAME to push to");
        }
        DockerfileText dockerfile = DockerfileText.read(request, context.path());
        List<StagePlatforms> plans = plan(request, dockerfile, targets);
        EmulationCheck.requireRunnable(plans, emulation);
        boolean pull = request.pull() || BaseImageCheck.needsPull(store, plans);

        if (!request.noCache()) {
            buildSharedStagesOnce(request, plans, pull);
        }
        Map<Platform, BuildResult> images = buildAll(request, targets, parallelism, pull);
        Descriptor index = writeIndex(images, request.format() == ImageFormat.DOCKER, request.annotations());
        List<String> tags = new ArrayList<>();
        for (String tag : request.tags()) {
            Reference reference = Reference.parse(tag);
            store.tag(reference, index);
            tags.add(reference.toString());
        }
        ProgressListener progress = request.progress();
        progress.onEvent(new BuildEvent.Message("writing index " + index.digest() + " done"));
        tags.forEach(tag -> progress.onEvent(new BuildEvent.Message("naming to " + tag + " done")));
        Map<Platform, ProvenanceAttestations.Run> runs = new LinkedHashMap<>();
        images.forEach((platform, image) -> runs.put(platform, new ProvenanceAttestations.Run(image.startedOn(),
                image.finishedOn(), image.materials(), image.hermetic())));
        Optional<ProvenanceAttestations> attestations = ProvenanceAttestations.of(store, request, dockerfile, runs);
        Exporter exporter = new Exporter(store, registryOptions, progress, attestations);
        // an exported index has gzip layers, so its digest is the one the metadata names
        Descriptor written = push ? exporter.push(index, tags) : index;
        Map<Platform, Descriptor> manifests = new LinkedHashMap<>();
        images.forEach((platform, image) -> manifests.put(platform, image.manifest()));
        for (Output output : request.outputs()) {
            switch (output) {
                case Output.OciLayout layout -> written = exporter.ociLayout(layout, index, tags);
                case Output.LocalDirectory tree -> exporter.platformFileTrees(tree, manifests);
                case Output.Tarball tree -> exporter.platformFileTrees(tree, manifests);
                case Output.Registry registry -> {
                    // pushed above, once for every registry output
                }
                case Output.LocalStore store -> {
                    // the store holds the index already
                }
                case Output.DockerArchive archive -> throw new IllegalStateException("refused above: " + archive);
            }
        }
        if (!written.equals(index)) {
            progress.onEvent(new BuildEvent.Message("exported with gzip layers as " + written.digest() + " done"));
        }
        // every platform's build ran through all its steps, cached or not, so the shared stages are among them
        List<CachedStep> steps = images.values().stream().flatMap(image -> image.steps().stream()).toList();
        CacheExporter cacheExporter = new CacheExporter(store, registryOptions, progress);
        for (CacheExport export : request.cacheTo()) {
            cacheExporter.export(steps, export);
        }
        if (request.iidFile().isPresent()) {
            Files.writeString(request.iidFile().get(), written.digest().toString());
        }
        if (request.metadataFile().isPresent()) {
            writeMetadata(request.metadataFile().get(), written, tags);
        }
        return new MultiPlatformResult(index, written, images, tags);
    }

    /**
     * Fails, before anything runs, when building {@code request} for {@code platforms} would execute RUN steps of a
     * platform this host has no emulator for; the message says how to get one. Single-platform builds for a foreign
     * platform use this too.
     */
    public void requireRunnable(BuildRequest request, List<Platform> platforms) throws BuildException, IOException {
        if (request.context() instanceof BuildRequest.Context.Directory directory) {
            EmulationCheck.requireRunnable(plan(request, DockerfileText.read(request, directory.path()),
                    distinct(platforms)), emulation);
        }
    }

    private static List<StagePlatforms> plan(BuildRequest request, DockerfileText dockerfile, List<Platform> targets)
            throws BuildException {
        return StagePlatforms.of(dockerfile.parse(), request.buildArgs(), request.target(), targets,
                Platform.current().normalized(), request.namedContexts().keySet());
    }

    private static List<Platform> distinct(List<Platform> platforms) {
        if (platforms.isEmpty()) {
            throw new IllegalArgumentException("no platform to build for");
        }
        List<Platform> targets = new ArrayList<>();
        for (Platform platform : platforms) {
            Platform normal = platform.normalized();
            if (targets.stream().anyMatch(p -> p.matches(normal))) {
                throw new IllegalArgumentException("platform " + platform.format() + " is given twice");
            }
            targets.add(normal);
        }
        return List.copyOf(targets);
    }

    /** Builds the stages all platforms share once, so each platform's build finds them in the build cache. */
    private void buildSharedStagesOnce(BuildRequest request, List<StagePlatforms> plans, boolean pull)
            throws BuildException, IOException {
        Platform buildPlatform = Platform.current().normalized();
        List<String> stages = SharedStages.toBuildFirst(plans, buildPlatform);
        if (stages.isEmpty()) {
            return;
        }
        request.progress().onEvent(new BuildEvent.Message("building the stages every platform shares once, on "
                + buildPlatform.format()));
        PlatformProgress progress = new PlatformProgress(request.progress(), buildPlatform, sharedSteps);
        for (String stage : stages) {
            builder.buildPlatform(forPlatform(request, Optional.of(stage), plans.getFirst().target(), pull, progress),
                    !request.cacheTo().isEmpty());
        }
    }

    private Map<Platform, BuildResult> buildAll(BuildRequest request, List<Platform> targets, int parallelism,
                                                boolean pull) throws BuildException, IOException {
        Semaphore permits = new Semaphore(parallelism);
        List<Future<BuildResult>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Platform platform : targets) {
                BuildRequest single = forPlatform(request, request.target(), platform, pull,
                        new PlatformProgress(request.progress(), platform, sharedSteps));
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return builder.buildPlatform(single, !request.cacheTo().isEmpty());
                    } finally {
                        permits.release();
                    }
                }));
            }
            Map<Platform, BuildResult> results = new LinkedHashMap<>();
            for (int i = 0; i < targets.size(); i++) {
                results.put(targets.get(i), await(futures.get(i), futures, targets.get(i)));
            }
            return results;
        }
    }

    /**
     * The request for one platform: no tags, outputs, attestations or cache exports of its own, since those belong
     * to the index, and only the manifest annotations meant for its platform; {@code pull} when the store does
     * not hold every platform's base images (see {@link BaseImageCheck}).
     */
    private static BuildRequest forPlatform(BuildRequest request, Optional<String> target, Platform platform,
                                            boolean pull, ProgressListener progress) {
        List<Annotation> manifestAnnotations = request.annotations().stream()
                .filter(annotation -> annotation.appliesTo(Annotation.Level.MANIFEST, platform))
                .map(annotation -> new Annotation(Set.of(Annotation.Level.MANIFEST), Optional.empty(), annotation.key(),
                        annotation.value()))
                .toList();
        return new BuildRequest(request.context(), request.dockerfile(), request.namedContexts(), List.of(),
                request.buildArgs(), target, Optional.of(platform), request.noCache(), request.noCacheFilter(),
                request.cacheFrom(), List.of(), pull, request.secrets(), request.ssh(), request.run(),
                request.labels(), manifestAnnotations, List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                request.format(),
                request.sourceDateEpoch(), progress);
    }

    private static BuildResult await(Future<BuildResult> future, List<Future<BuildResult>> all, Platform platform)
            throws BuildException, IOException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            all.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            switch (cause) {
                case BuildException build -> throw new BuildException(platform.format() + ": " + build.getMessage(), build);
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                default -> throw new BuildException(platform.format() + ": " + cause, cause);
            }
        } catch (InterruptedException e) {
            all.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while building for " + platform.format());
        }
    }

    private Descriptor writeIndex(Map<Platform, BuildResult> images, boolean docker, List<Annotation> annotations)
            throws IOException {
        List<Descriptor> entries = new ArrayList<>();
        for (Map.Entry<Platform, BuildResult> image : images.entrySet()) {
            Descriptor manifest = image.getValue().manifest();
            entries.add(new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size())
                    .withPlatform(platformOf(manifest, image.getKey()))
                    .withAnnotations(annotations(annotations, Annotation.Level.MANIFEST_DESCRIPTOR, image.getKey())));
        }
        Index plain = Index.of(docker, entries);
        Index index = new Index(plain.schemaVersion(), plain.mediaType(), plain.artifactType(), plain.manifests(),
                plain.subject(), annotations(annotations, Annotation.Level.INDEX, null), plain.unknownFields());
        return store.writeBlob(docker ? MediaType.DOCKER_MANIFEST_LIST : MediaType.OCI_INDEX, index.toJson());
    }

    /** The annotations of {@code level}, for an image of {@code platform} (any, when null). */
    private static Map<String, String> annotations(List<Annotation> annotations, Annotation.Level level, Platform platform) {
        Map<String, String> selected = new LinkedHashMap<>();
        for (Annotation annotation : annotations) {
            if (platform == null ? annotation.levels().contains(level) : annotation.appliesTo(level, platform)) {
                selected.put(annotation.key(), annotation.value());
            }
        }
        return selected;
    }

    /** The image config's platform (with its os.version and features) when it is the one asked for, else the one asked for. */
    private Platform platformOf(Descriptor manifest, Platform requested) throws IOException {
        ImageConfig config = store.image(manifest.digest().toString()).config();
        if (!config.os().isEmpty() && !config.architecture().isEmpty() && config.platform().matches(requested)) {
            return config.platform();
        }
        return requested;
    }

    private static void writeMetadata(Path file, Descriptor index, List<String> tags) throws IOException {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("containerimage.digest", index.digest().toString());
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", index.mediaType());
        descriptor.put("digest", index.digest().toString());
        descriptor.put("size", index.size());
        metadata.put("containerimage.descriptor", descriptor);
        if (!tags.isEmpty()) {
            metadata.put("image.name", String.join(",", tags));
        }
        Files.writeString(file, Json.writePretty(metadata));
    }
}

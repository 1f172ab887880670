package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildEvent;
import dev.jbuild.builder.BuildRequest;
import dev.jbuild.builder.CachedStep;
import dev.jbuild.builder.Material;
import dev.jbuild.builder.NamedContext;
import dev.jbuild.builder.ProgressListener;
import dev.jbuild.dockerfile.BuildChecks;
import dev.jbuild.dockerfile.Instruction;
import dev.jbuild.dockerfile.Warning;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.runtime.ContainerRuntime;
import dev.jbuild.runtime.Rootfs;
import dev.jbuild.store.LayerWriteOptions;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** What every stage of one build shares: the store, caches, context, runtime, step numbering and stage results. */
public final class BuildSession {
    final Store store;
    final BuildRequest request;
    final BuildPlan plan;
    final Platform platform;
    final ContextTree context;
    final Path workDirectory;
    final LayerDirectories layers;
    final StepCache cache;
    final BaseImages images;
    final Supplier<ContainerRuntime> runtime;
    final LayerWriteOptions layerOptions;
    final BuildChecks checks;
    private final Set<Warning> reportedChecks = ConcurrentHashMap.newKeySet();
    final Map<Integer, CompletableFuture<ImageState>> stageResults = new ConcurrentHashMap<>();
    private final AtomicBoolean runtimePrepared = new AtomicBoolean();
    private final AtomicInteger steps = new AtomicInteger();
    private final AtomicInteger scratch = new AtomicInteger();

    private final Set<Integer> imageStages;
    private final boolean cacheExported;
    private final Map<String, ContextTree> namedDirectories = new ConcurrentHashMap<>();
    private final Map<Integer, DirectoryRootfs> copiedTrees = new ConcurrentHashMap<>();
    private final Supplier<Boolean> overlayUpperUsable;
    private final Queue<CachedStep> ranSteps = new ConcurrentLinkedQueue<>();
    private final Set<Material> downloads = new LinkedHashSet<>();
    private final AtomicBoolean networked = new AtomicBoolean();

    BuildSession(Store store, BuildRequest request, BuildPlan plan, Platform platform, ContextTree context,
                 Path workDirectory, BaseImages images, Supplier<ContainerRuntime> runtime, BuildChecks checks,
                 CacheImports imports, boolean cacheExported) {
        this.cacheExported = cacheExported;
        this.store = store;
        this.checks = checks;
        this.request = request;
        this.plan = plan;
        this.platform = platform;
        this.context = context;
        this.workDirectory = workDirectory;
        this.layers = new LayerDirectories(store);
        this.cache = new StepCache(store, imports);
        this.imageStages = imageStages(plan);
        this.overlayUpperUsable = new OnFirstUse<>(() -> Rootfs.Overlay.canHoldUpper(workDirectory));
        this.images = images;
        this.runtime = runtime;
        // uncompressed: the next steps and `jbuild run` read the unpacked layers, so gzip would be
        // paid on every build for nothing; an export compresses each layer once (Store.withCompressedLayers)
        LayerWriteOptions options = LayerWriteOptions.DEFAULTS.withCompression(MediaType.Compression.NONE);
        if (request.sourceDateEpoch().isPresent()) {
            options = options.withSourceDateEpoch(request.sourceDateEpoch().getAsLong());
        }
        this.layerOptions = options;
    }

    /**
     * Reports a finding of a check that runs during the build, once however often its word is
     * expanded; true when there was one and the Dockerfile's {@code check=error=true} makes it fail the build.
     */
    boolean report(Optional<Warning> finding) {
        finding.filter(reportedChecks::add).ifPresent(warning -> request.progress().onEvent(
                new BuildEvent.CheckWarning(warning.rule(), warning.message(), warning.line())));
        return finding.isPresent() && checks.warningsAreErrors();
    }

    /**
     * Starts finding this host's container runtime in the background when the build has RUN steps:
     * called at the first cache miss, so the runtime's one-time set-up (a probe process, the JDK's
     * own first-process costs) overlaps the steps before the first RUN instead of delaying it. A
     * failure here is left for the RUN step, which asks again and reports it.
     */
    void prepareRuntime() {
        if (runtimePrepared.compareAndSet(false, true) && plan.stages().stream().anyMatch(planned -> planned.stage()
                .instructions().stream().anyMatch(Instruction.Run.class::isInstance))) {
            Thread.ofVirtual().name("runtime-probe").start(() -> {
                try {
                    runtime.get();
                } catch (RuntimeException reportedByTheRunStep) {
                    // the RUN step's own call fails the same way, with the step's line
                }
            });
        }
    }

    /** Notes that a RUN step of the build has network, for provenance: the build is not hermetic. */
    void networked() {
        networked.set(true);
    }

    /** Whether no RUN step the build ran or reused had network. */
    boolean hermetic() {
        return !networked.get();
    }

    /** Notes a file or git commit a step fetched, for provenance. */
    void fetched(Material material) {
        synchronized (downloads) {
            downloads.add(material);
        }
    }

    /** The images, files and git commits the build fetched, images first. */
    List<Material> materials() {
        List<Material> materials = new ArrayList<>(images.materials());
        synchronized (downloads) {
            materials.addAll(downloads);
        }
        return materials;
    }

    /**
     * Remembers the digests of context files this build read, for the next build. A failure is
     * left unreported: the record is a cache, and the next build reads those files again.
     */
    void saveFileDigests() {
        List<ContextTree> trees = new ArrayList<>(namedDirectories.values());
        trees.add(context);
        for (ContextTree tree : trees) {
            try {
                tree.digests().save();
            } catch (IOException notRemembered) {
                // a full disk or a read-only store: nothing is lost but the time to hash again
            }
        }
    }

    /** The target stage and the stages it starts FROM, one from another: the stages the image is made of. */
    private static Set<Integer> imageStages(BuildPlan plan) {
        Set<Integer> stages = new HashSet<>();
        PlannedStage stage = plan.stage(plan.target());
        stages.add(stage.index());
        while (stage.base() instanceof StageBase.EarlierStage earlier && stages.add(earlier.index())) {
            stage = plan.stage(earlier.index());
        }
        return stages;
    }

    /** Notes a step of {@code stage} that finished with {@code result}, run or cached, for {@code --cache-to}. */
    void ranStep(PlannedStage stage, StepKey key, Descriptor result) {
        ranSteps.add(new CachedStep(key.digest(), result, imageStages.contains(stage.index())));
    }

    /**
     * True when overlayfs can put a RUN step's upper directory in the build's work directory (see
     * {@link Rootfs.Overlay#canHoldUpper}); steps else run in a copied tree.
     */
    boolean overlayUpperUsable() {
        return overlayUpperUsable.get();
    }

    /** The copied tree the last RUN step of stage {@code stageIndex} left (see {@link DirectoryRootfs#forStep}). */
    Optional<DirectoryRootfs> takeCopiedTree(int stageIndex) {
        return Optional.ofNullable(copiedTrees.remove(stageIndex));
    }

    /** Keeps the tree a RUN step of stage {@code stageIndex} ran in, for the stage's next one. */
    void keepCopiedTree(int stageIndex, DirectoryRootfs tree) {
        copiedTrees.put(stageIndex, tree);
    }

    /** True when the build's steps go to a {@code --cache-to}, its own or its multi-platform build's. */
    boolean exportsCache() {
        return cacheExported;
    }

    /** The steps that finished so far, in the order they did. */
    List<CachedStep> ranSteps() {
        return List.copyOf(ranSteps);
    }

    /**
     * The directory a {@code --build-context} of this name gives, read like the build context with its
     * own {@code .dockerignore}; empty when the name is no such context.
     */
    Optional<ContextTree> namedDirectory(String name) throws IOException {
        String key = name.toLowerCase(Locale.ROOT);
        if (!(request.namedContexts().get(key) instanceof NamedContext.Directory directory)) {
            return Optional.empty();
        }
        ContextTree known = namedDirectories.get(key);
        if (known == null) {
            if (!Files.isDirectory(directory.path())) {
                throw new IOException("the build context " + key + " (" + directory.path() + ") is not a directory");
            }
            known = new ContextTree(directory.path(), ContextTree.ignoreFor(directory.path(), Optional.empty()),
                    store.fileDigests(directory.path(), !request.noCache()));
            namedDirectories.putIfAbsent(key, known);
        }
        return Optional.of(known);
    }

    /** The next step number ({@code #N}). */
    int nextStep() {
        return steps.incrementAndGet();
    }

    /** A fresh directory under the build's work directory. */
    Path scratchDirectory(String prefix) {
        return workDirectory.resolve(prefix + "-" + scratch.incrementAndGet());
    }

    /** The time history entries and new files get: {@code SOURCE_DATE_EPOCH} when set, else now. */
    Instant now() {
        return request.sourceDateEpoch().isPresent()
                ? Instant.ofEpochSecond(request.sourceDateEpoch().getAsLong())
                : Instant.now();
    }

    ProgressListener progress() {
        return request.progress();
    }
}

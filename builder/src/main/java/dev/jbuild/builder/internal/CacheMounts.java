package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildException;
import dev.jbuild.dockerfile.RunMount;
import dev.jbuild.oci.Digest;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.LayerApplier;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The directories of {@code RUN --mount=type=cache} under the store's {@code build-mounts/}: one per
 * id, made once (empty, or seeded from {@code source} of the {@code from} stage or image) and then
 * kept between builds. {@code sharing=shared} lets steps use it together, {@code locked} makes them
 * take turns, and {@code private} gives a step whose directory is in use another instance of its own.
 */
final class CacheMounts {
    /** A cache directory in use until closed. */
    private record Acquired(Path directory, Optional<CacheLocks.Held> hold) implements Closeable {
        Acquired {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(hold, "hold");
        }

        @Override
        public void close() throws IOException {
            if (hold.isPresent()) {
                hold.get().close();
            }
        }
    }

    /** The cache directories of one step, in its hands until it closes this. */
    static final class StepCaches implements AutoCloseable {
        private final Map<RunMount.Cache, Path> directories = new HashMap<>();
        private final List<Acquired> acquired = new ArrayList<>();

        /** Where {@code cache}, one of the step's mounts, is on the host. */
        Path directory(RunMount.Cache cache) {
            return Objects.requireNonNull(directories.get(cache), "cache mount not acquired");
        }

        /** Releases every directory, even when releasing one fails. */
        @Override
        public void close() throws IOException {
            Closing.all(acquired);
        }
    }

    private CacheMounts() {
    }

    /**
     * Acquires the cache mounts among {@code mounts}: locked ones first and in id order, so two steps
     * never wait for each other's locks, and each id and sharing mode once, so a step never waits for itself.
     */
    static StepCaches acquire(StepContext context, List<RunMount> mounts) throws IOException, BuildException,
            InterruptedException {
        List<RunMount.Cache> caches = mounts.stream()
                .filter(RunMount.Cache.class::isInstance).map(RunMount.Cache.class::cast)
                .sorted(Comparator.comparing((RunMount.Cache cache) -> cache.sharing() != RunMount.Sharing.LOCKED)
                        .thenComparing(RunMount.Cache::id).thenComparing(RunMount.Cache::sharing))
                .toList();
        // the stages seeds come from are awaited before any lock is taken: one of them may use the same cache
        Map<String, List<ImageState.LayerRef>> seeds = new HashMap<>();
        for (RunMount.Cache cache : caches) {
            if (cache.from().isPresent() && !seeds.containsKey(cache.from().get())) {
                seeds.put(cache.from().get(), SourceStages.layers(context, cache.from().get()));
            }
        }
        StepCaches step = new StepCaches();
        try {
            Map<String, Path> byIdAndSharing = new HashMap<>();
            for (RunMount.Cache cache : caches) {
                String key = cache.sharing() + " " + cache.id();
                Path directory = byIdAndSharing.get(key);
                if (directory == null) {
                    Acquired acquired = acquire(context, cache, cache.from().map(seeds::get).orElse(List.of()));
                    step.acquired.add(acquired);
                    directory = acquired.directory();
                    byIdAndSharing.put(key, directory);
                }
                step.directories.put(cache, directory);
            }
            return step;
        } catch (IOException | BuildException | InterruptedException | RuntimeException e) {
            step.close();
            throw e;
        }
    }

    private static Acquired acquire(StepContext context, RunMount.Cache cache, List<ImageState.LayerRef> seed)
            throws IOException, BuildException, InterruptedException {
        Path mounts = Files.createDirectories(context.session().store.root().resolve("build-mounts"));
        String name = Digest.sha256(cache.id().getBytes(StandardCharsets.UTF_8)).encoded();
        return switch (cache.sharing()) {
            case SHARED -> new Acquired(existing(context, cache, seed, mounts, name), Optional.empty());
            case LOCKED -> held(context, cache, seed, mounts, name, CacheLocks.exclusive(mounts.resolve(name + ".lock")));
            case PRIVATE -> {
                for (int instance = 0; ; instance++) {
                    String instanceName = instance == 0 ? name : name + "-private-" + instance;
                    Optional<CacheLocks.Held> free = CacheLocks.tryExclusive(mounts.resolve(instanceName + ".lock"));
                    if (free.isPresent()) {
                        yield held(context, cache, seed, mounts, instanceName, free.get());
                    }
                }
            }
        };
    }

    private static Acquired held(StepContext context, RunMount.Cache cache, List<ImageState.LayerRef> seed, Path mounts,
                                 String name, CacheLocks.Held hold) throws IOException, BuildException, InterruptedException {
        try {
            return new Acquired(existing(context, cache, seed, mounts, name), Optional.of(hold));
        } catch (IOException | BuildException | InterruptedException | RuntimeException e) {
            hold.close();
            throw e;
        }
    }

    /** The directory {@code name}, made (and seeded from {@code seed}'s layers) by the first step that needs it. */
    private static Path existing(StepContext context, RunMount.Cache cache, List<ImageState.LayerRef> seed, Path mounts,
                                 String name) throws IOException, BuildException, InterruptedException {
        Path directory = mounts.resolve(name);
        if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return directory;
        }
        try (CacheLocks.Held creating = CacheLocks.exclusive(mounts.resolve(name + ".create"))) {
            if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                return directory;
            }
            // in the build's scratch, so a build killed while seeding leaves nothing here that prune would not remove
            Path staging = Files.createDirectories(context.session().scratchDirectory("cache-seed"));
            try {
                Path content = cache.from().isPresent() ? seed(context, cache, seed, staging) : empty(staging);
                if (cache.from().isEmpty() || cache.mode().isPresent()) {
                    Files.setAttribute(content, "unix:mode", cache.mode().orElse(0755), LinkOption.NOFOLLOW_LINKS);
                }
                if (cache.from().isEmpty() || cache.uid().isPresent()) {
                    Files.setAttribute(content, "unix:uid", cache.uid().orElse(0), LinkOption.NOFOLLOW_LINKS);
                }
                if (cache.from().isEmpty() || cache.gid().isPresent()) {
                    Files.setAttribute(content, "unix:gid", cache.gid().orElse(0), LinkOption.NOFOLLOW_LINKS);
                }
                Files.move(content, directory, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Trees.delete(staging);
            }
        }
        return directory;
    }

    private static Path empty(Path staging) throws IOException {
        return Files.createDirectory(staging.resolve("content"));
    }

    /** The {@code source} directory of the {@code from} stage or image ({@code layers}), unpacked under {@code staging}. */
    private static Path seed(StepContext context, RunMount.Cache cache, List<ImageState.LayerRef> layers, Path staging)
            throws IOException, BuildException {
        String from = cache.from().orElseThrow();
        Path root = Files.createDirectory(staging.resolve("root"));
        for (ImageState.LayerRef layer : layers) {
            try (InputStream blob = context.session().store.open(layer.blob())) {
                LayerApplier.apply(blob, root, ApplyMode.FLATTEN);
            }
        }
        String source = cache.source().orElse("/");
        Path sourceDirectory = root.resolve(PathNames.inside(source));
        if (!Files.isDirectory(sourceDirectory, LinkOption.NOFOLLOW_LINKS)) {
            throw new BuildException(context.line(), "line " + context.line() + ": cache mount source \"" + source
                    + "\" is not a directory in " + from, null);
        }
        Path content = staging.resolve("content");
        Files.move(sourceDirectory, content);
        return content;
    }
}

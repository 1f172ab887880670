package dev.jbuild.builder.internal;

import dev.jbuild.builder.BuildException;
import dev.jbuild.builder.PrunedCacheMounts;
import dev.jbuild.dockerfile.RunMount;
import dev.jbuild.oci.Digest;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.DirectoryTrees;
import dev.jbuild.store.LayerApplier;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
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
import java.util.stream.Stream;

/**
 * The directories of {@code RUN --mount=type=cache} under the store's {@code build-mounts/}: one per
 * id, made once (empty, or seeded from {@code source} of the {@code from} stage or image) and then
 * kept between builds. {@code sharing=shared} lets steps use it together, {@code locked} makes them
 * take turns, and {@code private} gives a step whose directory is in use another instance of its own.
 */
public final class CacheMounts {
    private static final String DIRECTORY = "build-mounts";
    private static final String USE_SUFFIX = ".use";

    private CacheMounts() {
    }

    /**
     * Removes the cache directories under the store at {@code storeRoot} that no step of any build
     * is using; the next step that mounts one starts it afresh (seeded again when it has
     * {@code from=}). The lock files stay: removing a lock file someone waits on would let two
     * holders in.
     */
    public static PrunedCacheMounts prune(Path storeRoot) throws IOException {
        Path mounts = storeRoot.resolve(DIRECTORY);
        if (!Files.isDirectory(mounts)) {
            return new PrunedCacheMounts(0, 0, 0);
        }
        long removed = 0;
        long bytes = 0;
        long inUse = 0;
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(mounts,
                entry -> Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS))) {
            for (Path directory : directories) {
                Optional<CacheLocks.Held> unused = CacheLocks.tryExclusive(
                        mounts.resolve(directory.getFileName() + USE_SUFFIX));
                if (unused.isEmpty()) {
                    inUse++;
                    continue;
                }
                try (CacheLocks.Held held = unused.get()) {
                    bytes += size(directory);
                    DirectoryTrees.delete(directory);
                    removed++;
                }
            }
        }
        return new PrunedCacheMounts(removed, bytes, inUse);
    }

    private static long size(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            long total = 0;
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    total += Files.size(path);
                }
            }
            return total;
        }
    }

    /** A cache directory in use until closed: its use lock, and the lock of its sharing mode if any. */
    private record Acquired(Path directory, List<CacheLocks.Held> locks) implements Closeable {
        Acquired {
            Objects.requireNonNull(directory, "directory");
            locks = List.copyOf(locks);
        }

        @Override
        public void close() throws IOException {
            Closing.all(locks.reversed());
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
        Path mounts = Files.createDirectories(context.session().store.root().resolve(DIRECTORY));
        String name = Digest.sha256(cache.id().getBytes(StandardCharsets.UTF_8)).encoded();
        return switch (cache.sharing()) {
            case SHARED -> using(context, cache, seed, mounts, name, Optional.empty());
            case LOCKED -> using(context, cache, seed, mounts, name,
                    Optional.of(CacheLocks.exclusive(mounts.resolve(name + ".lock"))));
            case PRIVATE -> {
                for (int instance = 0; ; instance++) {
                    String instanceName = instance == 0 ? name : name + "-private-" + instance;
                    Optional<CacheLocks.Held> free = CacheLocks.tryExclusive(mounts.resolve(instanceName + ".lock"));
                    if (free.isPresent()) {
                        yield using(context, cache, seed, mounts, instanceName, free);
                    }
                }
            }
        };
    }

    /**
     * The directory {@code name} for one step, holding its use lock (shared with the other steps
     * using it, so {@link #prune} leaves it alone) besides {@code modeLock}.
     */
    private static Acquired using(StepContext context, RunMount.Cache cache, List<ImageState.LayerRef> seed, Path mounts,
                                  String name, Optional<CacheLocks.Held> modeLock)
            throws IOException, BuildException, InterruptedException {
        List<CacheLocks.Held> locks = new ArrayList<>();
        modeLock.ifPresent(locks::add);
        try {
            locks.add(CacheLocks.shared(mounts.resolve(name + USE_SUFFIX)));
            return new Acquired(existing(context, cache, seed, mounts, name), locks);
        } catch (IOException | BuildException | InterruptedException | RuntimeException e) {
            try {
                Closing.all(locks.reversed());
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
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
                DirectoryTrees.delete(staging);
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

package dev.jbuild.builder.internal;

import dev.jbuild.builder.ImageFormat;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The build cache: each step's result is an image (config + manifest) in the store, and a store
 * cache record maps the step's {@link StepKey} digest to it. The same {@link StepKey#digest()}
 * is used to record and to look up. A secondary record by step identity (parent and instruction)
 * lets a miss say what changed. A step the store's cache lacks is looked up in the shared caches of
 * {@code --cache-from} ({@link CacheImports}), and recorded here when one has it.
 */
public final class StepCache {
    private static final String ARGS = "dev.jbuild.cache.args";
    private static final String CONTENT = "dev.jbuild.cache.content";
    private static final String KEY_PREFIX = "step:";
    private static final String IDENTITY_PREFIX = "identity:";

    private final Store store;
    private final CacheImports imports;

    /** A step result the cache holds: its image manifest in the store, and the state it describes. */
    public record Hit(Descriptor manifest, ImageState state) {
    }

    StepCache(Store store, CacheImports imports) {
        this.store = store;
        this.imports = imports;
    }

    /**
     * The result recorded for {@code key}, when there is one whose blobs are all still in the store,
     * else the one a shared cache holds (then copied into the store and recorded).
     */
    public Optional<Hit> lookup(StepKey key) throws IOException {
        Optional<Hit> local = local(key);
        if (local.isPresent()) {
            return local;
        }
        Optional<Descriptor> imported = imports.fetch(key.digest());
        if (imported.isEmpty()) {
            return Optional.empty();
        }
        alias(key, imported.get());
        return local(key);
    }

    private Optional<Hit> local(StepKey key) throws IOException {
        Optional<Descriptor> manifest = store.cacheRecord(KEY_PREFIX + key.digest());
        if (manifest.isEmpty() || !store.contains(manifest.get())) {
            return Optional.empty();
        }
        ImageState state = ImageWriter.read(store, manifest.get());
        for (ImageState.LayerRef layer : state.layers()) {
            if (!store.contains(layer.blob())) {
                return Optional.empty();
            }
        }
        return Optional.of(new Hit(manifest.get(), state));
    }

    /** Records {@code state} as the result of the step with {@code key}; returns its manifest in the store. */
    public Descriptor record(StepKey key, ImageState state) throws IOException {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(ARGS, describeArgs(key.args()));
        annotations.put(CONTENT, key.content().toString());
        Descriptor manifest = ImageWriter.write(store, state, ImageFormat.OCI, annotations);
        store.putCacheRecord(KEY_PREFIX + key.digest(), manifest);
        store.putCacheRecord(IDENTITY_PREFIX + key.stepIdentity(), manifest);
        return manifest;
    }

    /** Makes {@code key} find a result already in the store (recorded under another key, or imported). */
    public void alias(StepKey key, Descriptor manifest) throws IOException {
        store.putCacheRecord(KEY_PREFIX + key.digest(), manifest);
    }

    /** Why {@code key} missed: what differs from the last recorded run of the same step. */
    public String explainMiss(StepKey key) throws IOException {
        Optional<Descriptor> sameStep = store.cacheRecord(IDENTITY_PREFIX + key.stepIdentity());
        if (sameStep.isPresent() && store.contains(sameStep.get())) {
            Map<String, String> annotations = ImageWriter.annotations(store, sameStep.get());
            List<String> reasons = new ArrayList<>();
            String before = annotations.getOrDefault(ARGS, "");
            String now = describeArgs(key.args());
            if (!before.equals(now)) {
                reasons.add("build args changed (" + (before.isEmpty() ? "none" : before) + " -> "
                        + (now.isEmpty() ? "none" : now) + ")");
            }
            if (!annotations.getOrDefault(CONTENT, "").equals(key.content().toString())) {
                reasons.add("source content changed");
            }
            return reasons.isEmpty() ? "cached result is no longer in the store" : String.join("; ", reasons);
        }
        return "no earlier build of this step on this parent (first build, or an earlier step or the base image changed)";
    }

    private static String describeArgs(Map<String, String> args) {
        return args.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

}

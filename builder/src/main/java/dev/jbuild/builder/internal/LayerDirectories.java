package dev.jbuild.builder.internal;

import dev.jbuild.oci.Digest;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.LayerApplier;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unpacked layers for one build: each layer in its own directory in overlay form (one overlay
 * lowerdir per layer), unpacked once per build under the build's work directory and named by
 * ChainID, so stages sharing a base share its directories.
 */
public final class LayerDirectories {
    private final Store store;
    private final Path directory;
    private final ConcurrentHashMap<Digest, Object> locks = new ConcurrentHashMap<>();

    public LayerDirectories(Store store, Path directory) {
        this.store = store;
        this.directory = directory;
    }

    /** The directories of {@code layers}, top layer first, unpacking what is not yet unpacked. */
    public List<Path> topFirst(List<ImageState.LayerRef> layers) throws IOException {
        List<Path> bottomFirst = new ArrayList<>();
        Digest chain = null;
        for (ImageState.LayerRef layer : layers) {
            chain = chain == null ? layer.diffId()
                    : Digest.sha256((chain + " " + layer.diffId()).getBytes(StandardCharsets.UTF_8));
            bottomFirst.add(unpacked(layer, chain));
        }
        return List.copyOf(bottomFirst.reversed());
    }

    /** The merged view of {@code layers}. */
    public LayeredTree tree(List<ImageState.LayerRef> layers) throws IOException {
        return new LayeredTree(topFirst(layers));
    }

    private Path unpacked(ImageState.LayerRef layer, Digest chainId) throws IOException {
        Path target = directory.resolve(chainId.encoded());
        Path done = directory.resolve(chainId.encoded() + ".done");
        synchronized (locks.computeIfAbsent(chainId, id -> new Object())) {
            if (Files.exists(done)) {
                return target;
            }
            Files.createDirectories(target);
            try (InputStream blob = store.open(layer.blob())) {
                LayerApplier.apply(blob, target, ApplyMode.OVERLAY_LOWER);
            }
            Files.createFile(done);
            return target;
        }
    }
}

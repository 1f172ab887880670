package dev.jbuild.builder.internal;

import dev.jbuild.oci.Digest;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.LayerApplier;
import dev.jbuild.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unpacked layers in the store's layout: each layer in overlay form (one overlay lowerdir per
 * layer) under {@code layers/<chainID>/diff}, published by a rename after its {@code complete}
 * marker is written, under the store's per-layer lock file, so later builds and other processes
 * reuse them. A step's own staging directory or upperdir is adopted as its layer's directory.
 */
public final class LayerDirectories {
    private static final String TEMP_PREFIX = ".tmp-";
    private static final String MARKER = "complete";
    private static final String DIFF = "diff";

    private final Store store;
    private final Path directory;
    private final Path locks;
    private final ConcurrentHashMap<Digest, Object> inProcess = new ConcurrentHashMap<>();

    public LayerDirectories(Store store) {
        this.store = store;
        this.directory = store.root().resolve("layers");
        this.locks = store.root().resolve("locks");
    }

    /** The directories of {@code layers}, top layer first, unpacking what is not yet unpacked. */
    public List<Path> topFirst(List<ImageState.LayerRef> layers) throws IOException {
        List<Path> bottomFirst = new ArrayList<>();
        Digest chain = null;
        for (ImageState.LayerRef layer : layers) {
            chain = next(chain, layer);
            bottomFirst.add(publish(chain, layer.diffId(), target -> {
                try (InputStream blob = store.open(layer.blob())) {
                    LayerApplier.apply(blob, target, ApplyMode.OVERLAY_LOWER);
                }
            }));
        }
        return List.copyOf(bottomFirst.reversed());
    }

    /** The merged view of {@code layers}. */
    public LayeredTree tree(List<ImageState.LayerRef> layers) throws IOException {
        return new LayeredTree(topFirst(layers));
    }

    /**
     * Takes {@code content}, which holds exactly the top layer of {@code layers} in overlay form (a
     * step's staging directory or upperdir, on the store's file system), as that layer's directory,
     * so the next step does not unpack what this one just wrote.
     */
    public void adopt(List<ImageState.LayerRef> layers, Path content) throws IOException {
        Digest chain = null;
        for (ImageState.LayerRef layer : layers) {
            chain = next(chain, layer);
        }
        if (chain != null) {
            publish(chain, layers.getLast().diffId(), target -> {
                Files.delete(target);
                Files.move(content, target);
            });
        }
    }

    @FunctionalInterface
    private interface Filler {
        void fill(Path emptyDiffDirectory) throws IOException;
    }

    private Path publish(Digest chain, Digest diffId, Filler filler) throws IOException {
        Path published = directory.resolve(chain.encoded());
        if (isComplete(published, chain)) {
            return published.resolve(DIFF);
        }
        synchronized (inProcess.computeIfAbsent(chain, id -> new Object())) {
            Files.createDirectories(locks);
            try (FileChannel lockFile = FileChannel.open(locks.resolve("layer-" + chain.encoded() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                if (isComplete(published, chain)) {
                    return published.resolve(DIFF);
                }
                Path temp = directory.resolve(TEMP_PREFIX + chain.encoded() + "-" + UUID.randomUUID());
                try {
                    Files.createDirectories(temp.resolve(DIFF));
                    filler.fill(temp.resolve(DIFF));
                    Files.writeString(temp.resolve(MARKER), "chainid=" + chain + "\ndiffid=" + diffId + "\n");
                    Trees.delete(published);
                    Files.move(temp, published, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Trees.delete(temp);
                }
                return published.resolve(DIFF);
            }
        }
    }

    private static boolean isComplete(Path layerDirectory, Digest chain) throws IOException {
        try {
            return Files.readString(layerDirectory.resolve(MARKER), StandardCharsets.UTF_8).startsWith("chainid=" + chain + "\n")
                    && Files.isDirectory(layerDirectory.resolve(DIFF));
        } catch (NoSuchFileException missing) {
            return false;
        }
    }

    private static Digest next(Digest chain, ImageState.LayerRef layer) {
        return chain == null ? layer.diffId()
                : Digest.sha256((chain + " " + layer.diffId()).getBytes(StandardCharsets.UTF_8));
    }
}

package dev.jbuild.store.internal;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Layer;
import dev.jbuild.store.DirectoryTrees;
import dev.jbuild.store.StoreException;
import dev.jbuild.store.internal.fs.Posix;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Unpacked layers under {@code layers/<chainID hex>/diff}, one directory per layer for use as an
 * overlay lowerdir. A layer is unpacked into a temporary directory, its {@code complete} marker
 * is written and forced last, and only then is the directory renamed into place; so a
 * {@code layers/<hex>} directory is always whole. One lock per ChainID keeps two processes from
 * unpacking the same layer twice.
 */
public final class LayerCache {
    /** The file written last; its presence (with matching content) proves the unpack completed. */
    public static final String MARKER = "complete";
    public static final String DIFF = "diff";

    /**
     * Holds the logger, so it is looked up only when something is logged: the lookup searches every
     * jar on the class path for a logging service, which costs a short command tens of milliseconds.
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(LayerCache.class.getName());
    }

    private final Path directory;
    private final Path locks;

    public LayerCache(Path storeRoot) {
        this.directory = storeRoot.resolve("layers");
        this.locks = storeRoot.resolve("locks");
    }

    /** The {@code diff} directory of a layer whose stack has {@code chainId}, unpacking it with {@code unpacker} first when needed. */
    public Path unpacked(Layer layer, Digest chainId, LayerUnpacker unpacker) throws IOException {
        return publish(chainId, layer.diffId(), diff -> unpackInto(layer, diff, unpacker));
    }

    /**
     * Publishes {@code content}, a directory on the store's file system that holds exactly one
     * layer in overlay form (a build step's upperdir or staging directory), as the unpacked layer
     * of {@code chainId}. The directory is moved, not copied; when the layer is already present,
     * that copy wins and {@code content} is left where it is.
     */
    public Path adopt(Digest chainId, Digest diffId, Path content) throws IOException {
        return publish(chainId, diffId, diff -> {
            Files.delete(diff);
            Files.move(content, diff, StandardCopyOption.ATOMIC_MOVE);
        });
    }

    @FunctionalInterface
    private interface Filler {
        void fill(Path emptyDiffDirectory) throws IOException;
    }

    private Path publish(Digest chainId, Digest diffId, Filler filler) throws IOException {
        Path finalDirectory = directory.resolve(chainId.encoded());
        if (isComplete(finalDirectory, chainId)) {
            return finalDirectory.resolve(DIFF);
        }
        try (FileLocks.Held held = FileLocks.exclusive(lockFile(chainId))) {
            if (isComplete(finalDirectory, chainId)) {
                return finalDirectory.resolve(DIFF);
            }
            Path temp = directory.resolve(Durable.TEMP_PREFIX + chainId.encoded() + "-" + UniqueNames.next());
            try {
                Files.createDirectories(temp.resolve(DIFF));
                filler.fill(temp.resolve(DIFF));
                writeMarker(temp, chainId, diffId);
                DirectoryTrees.delete(finalDirectory);
                Files.move(temp, finalDirectory, StandardCopyOption.ATOMIC_MOVE);
                Durable.syncDirectory(directory);
            } finally {
                DirectoryTrees.delete(temp);
            }
            return finalDirectory.resolve(DIFF);
        }
    }

    /** ChainIDs of every completed layer directory. */
    public List<Digest> list() throws IOException {
        List<Digest> chainIds = new ArrayList<>();
        for (Path entry : entries()) {
            String name = entry.getFileName().toString();
            Optional<Digest> chainId = chainIdOfName(name);
            chainId.ifPresent(chainIds::add);
        }
        return chainIds;
    }

    /**
     * Checks every entry of {@code layers/}: final directories must carry a marker naming their
     * ChainID and a {@code diff} directory. Returns problems by directory name; leftovers of
     * interrupted unpacks are not problems (prune removes them).
     */
    public Map<String, String> check() throws IOException {
        Map<String, String> problems = new LinkedHashMap<>();
        for (Path entry : entries()) {
            String name = entry.getFileName().toString();
            if (name.startsWith(Durable.TEMP_PREFIX)) {
                continue;
            }
            Optional<Digest> chainId = chainIdOfName(name);
            if (chainId.isEmpty()) {
                problems.put(name, "not a layer directory (its name is not a ChainID)");
            } else if (!Files.isDirectory(entry.resolve(DIFF))) {
                problems.put(name, "has no diff directory");
            } else if (!isComplete(entry, chainId.get())) {
                problems.put(name, "has no valid completion marker");
            }
        }
        return problems;
    }

    /** Removes a layer directory. */
    public void remove(String name) throws IOException {
        DirectoryTrees.delete(directory.resolve(name));
    }

    /** The {@code diff} directory of the layer with this ChainID when it is unpacked and complete; nothing is unpacked. */
    public Optional<Path> completed(Digest chainId) throws IOException {
        Path layerDirectory = directory.resolve(chainId.encoded());
        return isComplete(layerDirectory, chainId) ? Optional.of(layerDirectory.resolve(DIFF)) : Optional.empty();
    }

    /** When the layer with this ChainID was completed (its marker's time), if it is present. */
    public Optional<FileTime> completedAt(Digest chainId) throws IOException {
        try {
            return Optional.of(Files.getLastModifiedTime(directory.resolve(chainId.encoded()).resolve(MARKER)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Removes temporary directories of unpacks whose process has died (their ChainID lock is free). */
    public int removeAbandoned() throws IOException {
        int removed = 0;
        for (Path entry : entries()) {
            String name = entry.getFileName().toString();
            if (!name.startsWith(Durable.TEMP_PREFIX)) {
                continue;
            }
            String hex = name.substring(Durable.TEMP_PREFIX.length()).split("-", 2)[0];
            Optional<Digest> chainId = chainIdOfName(hex);
            if (chainId.isEmpty()) {
                continue;
            }
            Optional<FileLocks.Held> held = FileLocks.tryExclusive(lockFile(chainId.get()));
            if (held.isPresent()) {
                try (FileLocks.Held lock = held.get()) {
                    DirectoryTrees.delete(entry);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static void unpackInto(Layer layer, Path target, LayerUnpacker unpacker) throws IOException {
        LayerUnpacker.Unpacked result;
        try (InputStream blob = layer.compressed()) {
            result = unpacker.unpack(new FilterInputStream(blob) {
                @Override
                public void close() {
                    // the blob must stay open after the tar ends, so its digest is checked on the rest
                }
            }, target);
            blob.transferTo(OutputStream.nullOutputStream());
        }
        if (!result.diffId().equals(layer.diffId())) {
            throw new StoreException("layer " + layer.digest() + " unpacks to a tar with diffID " + result.diffId()
                    + " but the image config says " + layer.diffId());
        }
        for (String warning : result.warnings()) {
            Log.LOG.log(Level.WARNING, "layer " + layer.digest() + ": " + warning);
        }
    }

    private static void writeMarker(Path temp, Digest chainId, Digest diffId) throws IOException {
        // the marker vouches for every file below it, so their data must be on disk first
        Posix.syncfs(temp);
        byte[] content = ("chainid=" + chainId + "\ndiffid=" + diffId + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(temp.resolve(MARKER), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE); OutputStream out = Channels.newOutputStream(channel)) {
            out.write(content);
            out.flush();
            channel.force(true);
        }
        Durable.syncDirectory(temp);
    }

    private static boolean isComplete(Path layerDirectory, Digest chainId) throws IOException {
        try {
            String marker = Files.readString(layerDirectory.resolve(MARKER), StandardCharsets.UTF_8);
            return marker.startsWith("chainid=" + chainId + "\n") && Files.isDirectory(layerDirectory.resolve(DIFF));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private List<Path> entries() throws IOException {
        List<Path> entries = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return entries;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        }
        entries.sort(null);
        return entries;
    }

    private Path lockFile(Digest chainId) {
        return locks.resolve("layer-" + chainId.encoded() + ".lock");
    }

    private static Optional<Digest> chainIdOfName(String name) {
        String text = (name.length() == 128 ? Digest.SHA512 : Digest.SHA256) + ":" + name;
        return Digest.isDigest(text) ? Optional.of(Digest.parse(text)) : Optional.empty();
    }
}

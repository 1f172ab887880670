package dev.jbuild.store;

import dev.jbuild.oci.Digest;
import dev.jbuild.store.internal.Durable;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The files a build step copied from host directories into its layer, each with the identity its
 * source had, so that the next build of the same step (same parent, same instruction) that misses
 * the cache links the files whose sources have not changed from that layer's unpacked directory
 * instead of copying them again: a one-file change to a large context then writes one file.
 *
 * <p>Both layer directories then share those files' inodes. Unpacked layers are never written
 * after they are published, so neither can change the other. A source is remembered only when its
 * last change is older than {@link FileDigests#SETTLED} (as for remembered digests), so a later
 * change always gives it another identity.
 */
public final class CopiedFiles {
    private static final String FORMAT = "jbuild copied files 1";

    private final Path layer;
    private final Map<String, FileDigests.Identity> sources;

    private CopiedFiles(Path layer, Map<String, FileDigests.Identity> sources) {
        this.layer = layer;
        this.sources = Map.copyOf(sources);
    }

    /**
     * The file at {@code path} (relative to the layer's root) in the earlier layer, when it was
     * copied from a source with the identity {@code source} has now; else empty.
     */
    public Optional<Path> unchanged(String path, FileDigests.Identity source) {
        Objects.requireNonNull(source, "source");
        FileDigests.Identity copied = sources.get(path);
        return copied != null && copied.sameContent(source) ? Optional.of(layer.resolve(path)) : Optional.empty();
    }

    /**
     * Reads {@code record}; empty when it is missing, unreadable, or its layer is no longer unpacked
     * ({@code layers} gives the directory of a ChainID's unpacked layer).
     */
    static Optional<CopiedFiles> read(Path record, Function<Digest, Optional<Path>> layers) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(record), 64 * 1024))) {
            if (!in.readUTF().equals(FORMAT)) {
                return Optional.empty();
            }
            Optional<Path> layer = layers.apply(new Digest(Digest.SHA256, in.readUTF()));
            if (layer.isEmpty()) {
                return Optional.empty();
            }
            Map<String, FileDigests.Identity> sources = new HashMap<>();
            for (int count = in.readInt(); count > 0; count--) {
                sources.put(in.readUTF(), FileDigests.Identity.read(in));
            }
            return Optional.of(new CopiedFiles(layer.get(), sources));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException unreadable) {
            // a cache: a torn or foreign record only means the files are copied again
            return Optional.empty();
        }
    }

    /**
     * Replaces {@code record} with the sources of the layer of {@code chainId}, keeping those that
     * last changed before {@code settledBefore}.
     */
    static void write(Path record, Digest chainId, Map<String, FileDigests.Identity> sources, FileTime settledBefore)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(FORMAT);
            out.writeUTF(chainId.encoded());
            Map<String, FileDigests.Identity> settled = new HashMap<>();
            sources.forEach((path, identity) -> {
                if (identity.ctime().compareTo(settledBefore) < 0) {
                    settled.put(path, identity);
                }
            });
            out.writeInt(settled.size());
            for (Map.Entry<String, FileDigests.Identity> entry : settled.entrySet()) {
                out.writeUTF(entry.getKey());
                entry.getValue().write(out);
            }
        }
        Files.createDirectories(record.getParent());
        Durable.replaceFile(record, bytes.toByteArray());
    }

    /**
     * Removes the records in {@code directory} whose layer is gone ({@code unpacked} tells whether a
     * ChainID's layer is) or that cannot be read, and temporary files of replacements older than
     * {@code cutoff}; returns how many it removed.
     */
    static long removeForgotten(Path directory, Predicate<Digest> unpacked, FileTime cutoff) throws IOException {
        return Durable.removeRecords(directory, cutoff, record -> layerOf(record).filter(unpacked).isEmpty());
    }

    private static Optional<Digest> layerOf(Path record) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(record)))) {
            return in.readUTF().equals(FORMAT) ? Optional.of(new Digest(Digest.SHA256, in.readUTF())) : Optional.empty();
        } catch (IOException | IllegalArgumentException unreadable) {
            return Optional.empty();
        }
    }
}

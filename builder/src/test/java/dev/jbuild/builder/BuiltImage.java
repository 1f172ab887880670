package dev.jbuild.builder;

import dev.jbuild.oci.Image;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Layer;
import dev.jbuild.oci.MediaType;
import dev.jbuild.store.ApplyMode;
import dev.jbuild.store.LayerApplier;
import dev.jbuild.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** A built image read back from the store: its config, its flattened file tree and each layer's tar entries. */
record BuiltImage(Image image, ImageConfig config, Path tree) {
    static BuiltImage read(Store store, String reference, Path scratch) throws IOException {
        Image image = store.image(reference);
        Path tree = Files.createDirectories(scratch.resolve("tree-" + image.digest().encoded()));
        for (Layer layer : image.layers()) {
            try (InputStream blob = layer.compressed()) {
                LayerApplier.apply(blob, tree, ApplyMode.FLATTEN);
            }
        }
        return new BuiltImage(image, image.config(), tree);
    }

    String file(String path) throws IOException {
        return Files.readString(tree.resolve(path));
    }

    boolean exists(String path) {
        return Files.exists(tree.resolve(path), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    int mode(String path) throws IOException {
        return (Integer) Files.getAttribute(tree.resolve(path), "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    String owner(String path) throws IOException {
        return Files.getAttribute(tree.resolve(path), "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS) + ":"
                + Files.getAttribute(tree.resolve(path), "unix:gid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** The entry names of every layer, bottom first. */
    List<List<String>> layerEntries() throws IOException {
        List<List<String>> all = new ArrayList<>();
        for (Map<String, byte[]> layer : layerContents()) {
            all.add(List.copyOf(layer.keySet()));
        }
        return all;
    }

    /** The tar of a layer: built layers are stored uncompressed, pulled ones as they came. */
    static InputStream tarOf(Layer layer) throws IOException {
        InputStream blob = layer.compressed();
        return switch (MediaType.compressionOf(layer.mediaType())) {
            case NONE -> blob;
            case GZIP -> new GZIPInputStream(blob);
            case ZSTD -> throw new IOException("no zstd layers in these tests: " + layer.digest());
        };
    }

    /** Every layer's entries with their content (empty for non-files), bottom first. */
    List<Map<String, byte[]>> layerContents() throws IOException {
        List<Map<String, byte[]>> all = new ArrayList<>();
        for (Layer layer : image.layers()) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(tarOf(layer))) {
                for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                    ByteArrayOutputStream content = new ByteArrayOutputStream();
                    if (entry.isFile()) {
                        tar.transferTo(content);
                    }
                    entries.put(entry.getName(), content.toByteArray());
                }
            }
            all.add(entries);
        }
        return all;
    }
}

package dev.jbuild.store;

import dev.jbuild.oci.ContentSink;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.History;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Small real images (gzip tar layers, config, manifest) written into any sink, for tests. */
final class TestImages {
    private TestImages() {
    }

    /** One layer blob: its gzip bytes, descriptor and diffID. */
    record LayerBlob(byte[] gzip, Descriptor descriptor, Digest diffId) {
    }

    /** What {@link #write} stored: the manifest descriptor plus every blob descriptor. */
    record Written(Descriptor manifest, Descriptor config, List<LayerBlob> layers) {
    }

    /** A gzip tar with the given files (path → content) under a directory {@code dir/}. */
    static LayerBlob layer(Map<String, String> files) {
        try {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
                out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                for (Map.Entry<String, String> file : files.entrySet()) {
                    byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                    entry.setSize(content.length);
                    entry.setMode(0644);
                    entry.setModTime(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli());
                    out.putArchiveEntry(entry);
                    out.write(content);
                    out.closeArchiveEntry();
                }
            }
            byte[] plain = tar.toByteArray();
            ByteArrayOutputStream gzip = new ByteArrayOutputStream();
            try (GzipCompressorOutputStream out = new GzipCompressorOutputStream(gzip)) {
                out.write(plain);
            }
            byte[] compressed = gzip.toByteArray();
            return new LayerBlob(compressed,
                    new Descriptor(MediaType.OCI_LAYER_GZIP, Digest.sha256(compressed), compressed.length),
                    Digest.sha256(plain));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes an image of the given layers for {@code platform} into {@code sink} (blobs only, no tag). */
    static Written write(ContentSink sink, Platform platform, List<LayerBlob> layers) throws IOException {
        ImageConfig config = ImageConfig.empty(platform).withCreated(Instant.parse("2024-01-01T00:00:00Z"));
        List<Descriptor> layerDescriptors = new ArrayList<>();
        for (LayerBlob layer : layers) {
            sink.write(layer.descriptor(), new ByteArrayInputStream(layer.gzip()));
            config = config.withLayer(layer.diffId(), new History(Instant.parse("2024-01-01T00:00:00Z"),
                    "test layer", "", "", false));
            layerDescriptors.add(layer.descriptor());
        }
        Descriptor configDescriptor = writeDocument(sink, MediaType.OCI_CONFIG, config.toJson());
        Descriptor manifest = writeDocument(sink, MediaType.OCI_MANIFEST,
                Manifest.of(false, configDescriptor, layerDescriptors).toJson());
        return new Written(manifest, configDescriptor, List.copyOf(layers));
    }

    /** A one-layer image whose file {@code hello.txt} says {@code text}. */
    static Written simple(ContentSink sink, String text) throws IOException {
        return write(sink, Platform.current(), List.of(layer(files("hello.txt", text))));
    }

    /** An index of the given per-platform manifests, written into {@code sink}. */
    static Descriptor index(ContentSink sink, Map<Platform, Descriptor> manifests) throws IOException {
        List<Descriptor> entries = new ArrayList<>();
        manifests.forEach((platform, manifest) -> entries.add(manifest.withPlatform(platform)));
        return writeDocument(sink, MediaType.OCI_INDEX, Index.of(false, entries).toJson());
    }

    static Map<String, String> files(String... pathsAndContents) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], pathsAndContents[i + 1]);
        }
        return files;
    }

    static Descriptor writeDocument(ContentSink sink, String mediaType, byte[] json) throws IOException {
        Descriptor descriptor = new Descriptor(mediaType, Digest.sha256(json), json.length);
        sink.write(descriptor, new ByteArrayInputStream(json));
        return descriptor;
    }
}

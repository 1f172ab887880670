package dev.jbuild.store;

import dev.jbuild.oci.ContainerConfig;
import dev.jbuild.oci.ContentSink;
import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.RootFs;
import dev.jbuild.oci.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** A small two-layer image held in memory, for tests of sources and sinks. */
record TinyImage(Map<Digest, byte[]> blobs, Descriptor manifest) implements ContentSource {

    static TinyImage create() throws IOException {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        byte[] first = tar(Map.of("etc/hello.txt", "hello\n", "bin/tool", "#!/bin/sh\necho tool\n"));
        byte[] second = tar(Map.of("etc/second.txt", "second layer\n"));
        byte[] firstGz = gzip(first);
        Descriptor layer1 = put(blobs, MediaType.OCI_LAYER_GZIP, firstGz);
        Descriptor layer2 = put(blobs, MediaType.OCI_LAYER_TAR, second);
        ImageConfig config = ImageConfig.empty(Platform.parse("linux/amd64"))
                .withConfig(ContainerConfig.EMPTY.toBuilder().cmd(List.of("/bin/tool")).build());
        config = new ImageConfig(config.created(), "", config.architecture(), config.os(), "", List.of(), "",
                config.config(), RootFs.of(List.of(Digest.sha256(first), Digest.sha256(second))), List.of(), Map.of());
        Descriptor configDescriptor = put(blobs, MediaType.OCI_CONFIG, config.toJson());
        byte[] manifest = Manifest.of(false, configDescriptor, List.of(layer1, layer2)).toJson();
        Descriptor manifestDescriptor = put(blobs, MediaType.OCI_MANIFEST, manifest);
        return new TinyImage(blobs, manifestDescriptor);
    }

    /** An image of {@code count} uncompressed layers, each one file of {@code size} random bytes (as text). */
    static TinyImage withLayers(int count, int size) throws IOException {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        java.util.Random random = new java.util.Random(count * 31L + size);
        List<Descriptor> layers = new java.util.ArrayList<>();
        List<Digest> diffIds = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            byte[] tar = tar(Map.of("data/layer" + i, java.util.HexFormat.of().formatHex(content)));
            layers.add(put(blobs, MediaType.OCI_LAYER_TAR, tar));
            diffIds.add(Digest.sha256(tar));
        }
        ImageConfig empty = ImageConfig.empty(Platform.parse("linux/amd64"));
        ImageConfig config = new ImageConfig(empty.created(), "", empty.architecture(), empty.os(), "", List.of(), "",
                empty.config(), RootFs.of(diffIds), List.of(), Map.of());
        Descriptor configDescriptor = put(blobs, MediaType.OCI_CONFIG, config.toJson());
        byte[] manifest = Manifest.of(false, configDescriptor, layers).toJson();
        return new TinyImage(blobs, put(blobs, MediaType.OCI_MANIFEST, manifest));
    }

    /** Copies the whole image into a sink and tags it. */
    void copyTo(ContentSink sink, String tag) throws IOException {
        Manifest parsed = Manifest.parse(blobs.get(manifest.digest()));
        for (Descriptor blob : parsed.layers()) {
            sink.write(blob, open(blob));
        }
        sink.write(parsed.config(), open(parsed.config()));
        sink.write(manifest, open(manifest));
        sink.tag(tag, manifest);
    }

    @Override
    public Descriptor resolve(String tagOrDigest) {
        return manifest;
    }

    @Override
    public InputStream open(Descriptor descriptor) {
        return new VerifyingInputStream(new ByteArrayInputStream(blobs.get(descriptor.digest())), descriptor.digest(),
                descriptor.size());
    }

    private static Descriptor put(Map<Digest, byte[]> blobs, String mediaType, byte[] bytes) {
        Digest digest = Digest.sha256(bytes);
        blobs.put(digest, bytes);
        return new Descriptor(mediaType, digest, bytes.length);
    }

    static byte[] tar(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (var file : new java.util.TreeMap<>(files).entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(content.length);
                entry.setMode(file.getKey().startsWith("bin/") ? 0755 : 0644);
                entry.setModTime(0);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(content);
        }
        return bytes.toByteArray();
    }
}

package dev.jbuild.registry.testing;

import dev.jbuild.oci.ContentSink;
import dev.jbuild.oci.ContentSource;
import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.VerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/** Content held in memory, as a source and sink for tests, plus builders of small random images. */
public final class MemoryContent implements ContentSource, ContentSink {
    public final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    public final Map<String, Descriptor> tags = new ConcurrentHashMap<>();

    @Override
    public Descriptor resolve(String tagOrDigest) throws IOException {
        Descriptor tagged = tags.get(tagOrDigest);
        if (tagged == null) {
            throw new IOException("no tag " + tagOrDigest);
        }
        return tagged;
    }

    @Override
    public InputStream open(Descriptor descriptor) throws IOException {
        byte[] bytes = blobs.get(descriptor.digest());
        if (bytes == null) {
            throw new IOException("no blob " + descriptor.digest());
        }
        return new VerifyingInputStream(new ByteArrayInputStream(bytes), descriptor.digest(), descriptor.size());
    }

    @Override
    public boolean contains(Descriptor descriptor) {
        return blobs.containsKey(descriptor.digest());
    }

    @Override
    public void write(Descriptor descriptor, InputStream content) throws IOException {
        byte[] bytes;
        try (InputStream verified = new VerifyingInputStream(content, descriptor.digest(), descriptor.size())) {
            bytes = verified.readAllBytes();
        }
        blobs.put(descriptor.digest(), bytes);
    }

    @Override
    public void tag(String tag, Descriptor descriptor) {
        tags.put(tag, descriptor);
    }

    public Descriptor put(String mediaType, byte[] bytes) {
        Descriptor descriptor = new Descriptor(mediaType, Digest.sha256(bytes), bytes.length);
        blobs.put(descriptor.digest(), bytes);
        return descriptor;
    }

    /** An image of {@code layerCount} random (incompressible) layers of {@code layerSize} bytes, tagged. */
    public Descriptor image(String tag, Platform platform, int layerCount, int layerSize, long seed) {
        Random random = new Random(seed);
        List<Descriptor> layers = new ArrayList<>();
        StringBuilder diffIds = new StringBuilder();
        for (int i = 0; i < layerCount; i++) {
            byte[] content = new byte[layerSize];
            random.nextBytes(content);
            byte[] tar = tarOf("layer-" + i + ".bin", content);
            Descriptor descriptor = put(MediaType.OCI_LAYER_GZIP, gzip(tar));
            layers.add(descriptor);
            diffIds.append(i == 0 ? "" : ",").append('"').append(Digest.sha256(tar)).append('"');
        }
        String config = "{\"architecture\":\"" + platform.architecture() + "\",\"os\":\"" + platform.os()
                + "\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]},\"config\":{}}";
        Descriptor configDescriptor = put(MediaType.OCI_CONFIG, config.getBytes(StandardCharsets.UTF_8));
        Manifest manifest = Manifest.of(false, configDescriptor, layers);
        Descriptor root = put(MediaType.OCI_MANIFEST, manifest.toJson());
        if (tag != null) {
            tags.put(tag, root);
        }
        return root;
    }

    /** A tar holding one regular file (ustar header, two zero blocks at the end). */
    static byte[] tarOf(String name, byte[] content) {
        byte[] header = new byte[512];
        putString(header, 0, name, 100);
        putString(header, 100, "0000644", 8);
        putString(header, 108, "0000000", 8);
        putString(header, 116, "0000000", 8);
        putString(header, 124, String.format("%011o", content.length), 12);
        putString(header, 136, String.format("%011o", 1_700_000_000L), 12);
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        putString(header, 257, "ustar", 6);
        putString(header, 263, "00", 2);
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        putString(header, 148, String.format("%06o", sum), 7);
        int padded = (content.length + 511) / 512 * 512;
        byte[] tar = new byte[512 + padded + 1024];
        System.arraycopy(header, 0, tar, 0, 512);
        System.arraycopy(content, 0, tar, 512, content.length);
        return tar;
    }

    private static void putString(byte[] target, int offset, String value, int max) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, target, offset, Math.min(bytes.length, max));
    }

    static byte[] gzip(byte[] data) {
        var out = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(out) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        }) {
            gzip.write(data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An index over the given manifests (with their platforms), tagged. */
    public Descriptor index(String tag, List<Descriptor> manifests) {
        Descriptor root = put(MediaType.OCI_INDEX, Index.of(false, manifests).toJson());
        tags.put(tag, root);
        return root;
    }
}

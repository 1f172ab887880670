package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.DigestMismatchException;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {
    @TempDir
    Path dir;

    @Test
    void createWritesLayoutHeaderAndEmptyIndex() throws IOException {
        OciLayout.create(dir);
        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(dir.resolve("oci-layout")));
        assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
                Files.readString(dir.resolve("index.json")));
    }

    @Test
    void openRefusesADirectoryThatIsNotALayout() {
        StoreException error = assertThrows(StoreException.class, () -> OciLayout.open(dir));
        assertTrue(error.getMessage().contains("is not an OCI image layout"), error.getMessage());
    }

    @Test
    void verifiedWritePublishesUnderBlobsAlgHex() throws IOException {
        OciLayout layout = OciLayout.create(dir);
        byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
        Descriptor descriptor = new Descriptor(MediaType.OCI_CONFIG, Digest.sha256(content), content.length);
        layout.write(descriptor, new ByteArrayInputStream(content));
        assertArrayEquals(content, Files.readAllBytes(dir.resolve(descriptor.digest().layoutPath())));
        assertTrue(layout.contains(descriptor));
        assertArrayEquals(content, layout.readAll(descriptor));
        assertEquals(5, layout.blobSize(descriptor.digest()));
        assertEquals(List.of(), ingestFiles());
    }

    @Test
    void wrongBytesAreNeverPublished() throws IOException {
        OciLayout layout = OciLayout.create(dir);
        byte[] expected = "hello".getBytes(StandardCharsets.UTF_8);
        Descriptor descriptor = new Descriptor(MediaType.OCI_CONFIG, Digest.sha256(expected), expected.length);
        assertThrows(DigestMismatchException.class,
                () -> layout.write(descriptor, new ByteArrayInputStream("jello".getBytes(StandardCharsets.UTF_8))));
        assertThrows(DigestMismatchException.class,
                () -> layout.write(descriptor, new ByteArrayInputStream("hello!".getBytes(StandardCharsets.UTF_8))));
        assertThrows(DigestMismatchException.class,
                () -> layout.write(descriptor, new ByteArrayInputStream("hell".getBytes(StandardCharsets.UTF_8))));
        assertFalse(layout.hasBlob(descriptor.digest()));
        assertFalse(Files.exists(dir.resolve(descriptor.digest().layoutPath())));
        assertEquals(List.of(), ingestFiles());
    }

    @Test
    void computedWriteReturnsTheDigestOfWhatWasWritten() throws IOException {
        OciLayout layout = OciLayout.create(dir);
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Descriptor written;
        try (BlobWriter writer = layout.newBlob()) {
            writer.write(content, 0, 100_000);
            writer.write(content, 100_000, content.length - 100_000);
            assertEquals(content.length, writer.size());
            written = writer.commit(MediaType.OCI_LAYER_TAR);
        }
        assertEquals(new Descriptor(MediaType.OCI_LAYER_TAR, Digest.sha256(content), content.length), written);
        assertArrayEquals(content, layout.readAll(written));
    }

    @Test
    void anAbandonedBlobWriterLeavesNothing() throws IOException {
        OciLayout layout = OciLayout.create(dir);
        try (BlobWriter writer = layout.newBlob()) {
            writer.write(new byte[] {1, 2, 3});
        }
        assertEquals(List.of(), ingestFiles());
        try (Stream<Path> blobs = Files.walk(dir.resolve("blobs"))) {
            assertEquals(0, blobs.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void tagsAreRefNameAnnotationsInIndexJson() throws IOException {
        OciLayout layout = OciLayout.create(dir);
        TestImages.Written one = TestImages.simple(layout, "one");
        TestImages.Written two = TestImages.simple(layout, "two");
        layout.tag("v1", one.manifest());
        layout.tag("docker.io/library/app:2", two.manifest());
        assertEquals(one.manifest(), layout.resolve("v1"));
        assertEquals(two.manifest(), layout.resolve("docker.io/library/app:2"));
        assertEquals(List.of("v1", "docker.io/library/app:2"), List.copyOf(layout.tags().keySet()));
        String json = Files.readString(dir.resolve("index.json"));
        assertTrue(json.contains("\"org.opencontainers.image.ref.name\":\"v1\""), json);

        layout.tag("v1", two.manifest());
        assertEquals(two.manifest(), layout.resolve("v1"));
        assertEquals(2, layout.roots().size());

        assertTrue(layout.untag("v1"));
        assertFalse(layout.untag("v1"));
        StoreException missing = assertThrows(StoreException.class, () -> layout.resolve("v1"));
        assertTrue(missing.getMessage().contains("no image tagged \"v1\""), missing.getMessage());
    }

    @Test
    void resolveWithoutATagTakesTheOnlyEntry() throws IOException {
        OciLayout layout = OciLayout.create(dir);
        TestImages.Written one = TestImages.simple(layout, "one");
        layout.tag("only", one.manifest());
        assertEquals(one.manifest(), layout.resolve(""));
        layout.tag("second", one.manifest());
        StoreException ambiguous = assertThrows(StoreException.class, () -> layout.resolve(""));
        assertTrue(ambiguous.getMessage().contains("holds 2 images"), ambiguous.getMessage());
    }

    @Test
    void resolveByDigestSniffsTheMediaType() throws IOException {
        OciLayout layout = OciLayout.create(dir);
        TestImages.Written one = TestImages.simple(layout, "one");
        Descriptor index = TestImages.index(layout, Map.of(Platform.current(), one.manifest()));
        assertEquals(one.manifest(), layout.resolve(one.manifest().digest().toString()));
        assertEquals(index, layout.resolve(index.digest().toString()));
        StoreException notAnImage = assertThrows(StoreException.class,
                () -> layout.resolve(one.layers().getFirst().descriptor().digest().toString()));
        assertTrue(notAnImage.getMessage().contains("is not a manifest or index"), notAnImage.getMessage());
    }

    @Test
    void tagRefusesBadNamesAndAbsentManifests() throws IOException {
        OciLayout layout = OciLayout.create(dir);
        TestImages.Written one = TestImages.simple(layout, "one");
        StoreException badName = assertThrows(StoreException.class, () -> layout.tag("no spaces", one.manifest()));
        assertTrue(badName.getMessage().contains("invalid tag \"no spaces\""), badName.getMessage());
        Descriptor absent = new Descriptor(MediaType.OCI_MANIFEST, Digest.sha256(new byte[] {9}), 1);
        StoreException notThere = assertThrows(StoreException.class, () -> layout.tag("x", absent));
        assertTrue(notThere.getMessage().contains("is not in OCI layout"), notThere.getMessage());
        StoreException notAManifest = assertThrows(StoreException.class, () -> layout.tag("x", one.config()));
        assertTrue(notAManifest.getMessage().contains("is not a manifest or index"), notAManifest.getMessage());
        assertEquals(Map.of(), layout.tags());
    }

    @Test
    void untaggedEntriesAndUnknownFieldsOfIndexJsonSurviveTagging() throws IOException {
        OciLayout layout = OciLayout.create(dir);
        TestImages.Written one = TestImages.simple(layout, "one");
        String foreign = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaType.OCI_MANIFEST
                + "\",\"digest\":\"" + one.manifest().digest() + "\",\"size\":" + one.manifest().size()
                + "}],\"annotations\":{\"made.by\":\"another tool\"}}";
        Files.writeString(dir.resolve("index.json"), foreign);
        layout.tag("t", one.manifest());
        String json = Files.readString(dir.resolve("index.json"));
        assertTrue(json.contains("\"made.by\":\"another tool\""), json);
        assertEquals(2, layout.roots().size());
    }

    @Test
    void imagesReadBackWithLayersPairedToDiffIds() throws IOException {
        OciLayout layout = OciLayout.create(dir);
        TestImages.Written one = TestImages.write(layout, Platform.current(), List.of(
                TestImages.layer(TestImages.files("a", "1")), TestImages.layer(TestImages.files("b", "2"))));
        layout.tag("two-layers", one.manifest());
        Image image = layout.image("two-layers");
        assertEquals(one.manifest(), image.descriptor());
        assertEquals(2, image.layers().size());
        assertEquals(one.layers().get(1).diffId(), image.layers().get(1).diffId());
        try (InputStream in = image.layers().get(0).compressed()) {
            assertArrayEquals(one.layers().get(0).gzip(), in.readAllBytes());
        }
    }

    private List<Path> ingestFiles() throws IOException {
        Path ingest = dir.resolve("ingest");
        if (!Files.isDirectory(ingest)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(ingest)) {
            return files.toList();
        }
    }
}

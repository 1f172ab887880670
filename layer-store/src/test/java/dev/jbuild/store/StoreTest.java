package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.ImageIndex;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64");

    @TempDir
    Path dir;

    @Test
    void openCreatesAnOciLayout() throws IOException {
        Store.open(dir.resolve("store"));
        assertTrue(Files.isRegularFile(dir.resolve("store/oci-layout")));
        assertTrue(Files.isRegularFile(dir.resolve("store/index.json")));
        assertTrue(Files.isDirectory(dir.resolve("store/blobs")));
    }

    @Test
    void tagsAreStoredAsFullReferencesAndResolvedFromAnyForm() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written image = TestImages.simple(store, "hi");
        store.tag("busybox", image.manifest());
        assertEquals(Map.of("docker.io/library/busybox:latest", image.manifest()), OciLayout.open(dir).tags());
        assertEquals(image.manifest(), store.resolve("busybox"));
        assertEquals(image.manifest(), store.resolve("busybox:latest"));
        assertEquals(image.manifest(), store.resolve("docker.io/library/busybox"));
        assertEquals(image.manifest(), store.resolve("busybox@" + image.manifest().digest()));
        assertEquals(image.manifest(), store.resolve(image.manifest().digest().toString()));
        assertEquals(List.of(Reference.parse("busybox")), List.copyOf(store.tags().keySet()));
    }

    @Test
    void tagWithRegistryPortAndDigestKeepsOnlyTheTag() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written image = TestImages.simple(store, "hi");
        store.tag("localhost:5000/team/app:1.0@" + image.manifest().digest(), image.manifest());
        assertEquals(List.of("localhost:5000/team/app:1.0"), List.copyOf(OciLayout.open(dir).tags().keySet()));
        StoreException digestOnly = assertThrows(StoreException.class,
                () -> store.tag("app@" + image.manifest().digest(), image.manifest()));
        assertTrue(digestOnly.getMessage().contains("a tag needs a name"), digestOnly.getMessage());
    }

    @Test
    void unknownImagesAndBadReferencesFailClearly() throws IOException {
        Store store = Store.open(dir);
        StoreException unknown = assertThrows(StoreException.class, () -> store.resolve("nothing:here"));
        assertTrue(unknown.getMessage().contains("no image nothing:here in the store"), unknown.getMessage());
        StoreException bad = assertThrows(StoreException.class, () -> store.resolve("app:bad tag!"));
        assertTrue(bad.getMessage().contains("invalid reference"), bad.getMessage());
    }

    @Test
    void untagRemovesOnlyThatTag() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written image = TestImages.simple(store, "hi");
        store.tag("a:1", image.manifest());
        store.tag("a:2", image.manifest());
        assertTrue(store.untag(Reference.parse("a:1")));
        assertFalse(store.untag(Reference.parse("a:1")));
        assertEquals(List.of(Reference.parse("a:2")), List.copyOf(store.tags().keySet()));
        assertTrue(store.hasBlob(image.manifest().digest()));
    }

    @Test
    void imageSelectsThePlatformFromAnIndex() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written amd = TestImages.write(store, AMD64, List.of(TestImages.layer(TestImages.files("a", "amd"))));
        TestImages.Written arm = TestImages.write(store, ARM64, List.of(TestImages.layer(TestImages.files("a", "arm"))));
        Map<Platform, Descriptor> children = new LinkedHashMap<>();
        children.put(AMD64, amd.manifest());
        children.put(ARM64, arm.manifest());
        Descriptor index = TestImages.index(store, children);
        store.tag("multi:1", index);

        Image armImage = store.image("multi:1", Platform.parse("linux/aarch64"));
        assertEquals(arm.manifest().digest(), armImage.digest());
        assertEquals("arm64", armImage.config().architecture());
        assertEquals(amd.manifest().digest(), store.image("multi:1", AMD64).digest());

        StoreException none = assertThrows(StoreException.class,
                () -> store.image("multi:1", Platform.parse("linux/s390x")));
        assertTrue(none.getMessage().contains("no image for platform linux/s390x (it has: linux/amd64, linux/arm64)"),
                none.getMessage());

        ImageIndex imageIndex = store.index("multi:1");
        assertEquals(2, imageIndex.index().manifests().size());
        assertEquals(arm.manifest().digest(), imageIndex.image(imageIndex.index().manifests().get(1)).digest());
        StoreException notIndex = assertThrows(StoreException.class,
                () -> { store.tag("single", amd.manifest()); store.index("single"); });
        assertTrue(notIndex.getMessage().contains("is not an image index"), notIndex.getMessage());
    }

    @Test
    void aTruncatedBlobFailsAtOpenAndACorruptOneBeforeItsEnd() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written image = TestImages.simple(store, "hi");
        Descriptor layer = image.layers().getFirst().descriptor();
        Path file = dir.resolve(layer.digest().layoutPath());

        byte[] original = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(original, original.length - 3));
        StoreException truncated = assertThrows(StoreException.class, () -> store.open(layer));
        assertTrue(truncated.getMessage().contains("is damaged"), truncated.getMessage());

        byte[] flipped = original.clone();
        flipped[flipped.length / 2] ^= 0x55;
        Files.write(file, flipped);
        StoreException corrupt = assertThrows(StoreException.class, () -> {
            try (InputStream in = store.open(layer)) {
                in.readAllBytes();
            }
        });
        assertTrue(corrupt.getMessage().contains("is corrupted"), corrupt.getMessage());
        assertThrows(StoreException.class, () -> store.image(image.manifest().digest().toString()).layers()
                .getFirst().compressed().readAllBytes());
    }

    @Test
    void containsNeedsTheRightSize() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written image = TestImages.simple(store, "hi");
        Descriptor config = image.config();
        assertTrue(store.contains(config));
        assertFalse(store.contains(new Descriptor(config.mediaType(), config.digest(), config.size() + 1)));
    }

    @Test
    void cacheRecordsPointAtImagesInTheStore() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written image = TestImages.simple(store, "hi");
        store.putCacheRecord("RUN echo hi", image.manifest());
        assertEquals(image.manifest(), store.cacheRecord("RUN echo hi").orElseThrow());
        assertTrue(store.cacheRecord("RUN echo other").isEmpty());
        assertTrue(store.removeCacheRecord("RUN echo hi"));
        assertTrue(store.cacheRecord("RUN echo hi").isEmpty());
    }

    @Test
    void blobsWrittenByStreamHaveComputedDigests() throws IOException {
        Store store = Store.open(dir);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes();
        Descriptor written = store.writeBlob(MediaType.OCI_CONFIG, config);
        assertEquals(Digest.sha256(config), written.digest());
        try (InputStream in = store.openBlob(written.digest())) {
            assertArrayEquals(config, in.readAllBytes());
        }
    }
}

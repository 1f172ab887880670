package dev.jbuild.store;

import dev.jbuild.oci.ContentCopy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreContentCopyTest {
    @TempDir
    Path dir;

    @Test
    void copiesAnIndexWithManyLayersAndTagsIt() throws IOException {
        OciLayout source = OciLayout.create(dir.resolve("source"));
        List<TestImages.LayerBlob> layers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            layers.add(TestImages.layer(TestImages.files("file" + i, "content " + i)));
        }
        TestImages.Written amd = TestImages.write(source, Platform.parse("linux/amd64"), layers);
        TestImages.Written arm = TestImages.write(source, Platform.parse("linux/arm64"), layers.subList(0, 3));
        Map<Platform, Descriptor> children = new LinkedHashMap<>();
        children.put(Platform.parse("linux/amd64"), amd.manifest());
        children.put(Platform.parse("linux/arm64"), arm.manifest());
        source.tag("multi", TestImages.index(source, children));

        Store store = Store.open(dir.resolve("store"));
        Descriptor copied = new ContentCopy(source, store, null, 4, null).copy("multi", "copied:1").root();
        assertEquals(source.resolve("multi"), copied);
        Image image = store.image("copied:1", Platform.parse("linux/amd64"));
        assertEquals(12, image.layers().size());
        for (int i = 0; i < 12; i++) {
            try (InputStream in = image.layers().get(i).compressed()) {
                assertArrayEquals(layers.get(i).gzip(), in.readAllBytes());
            }
        }
        assertTrue(store.fsck().clean());
        assertEquals(copied, new ContentCopy(source, store, null, 4, null).copy("multi", "copied:2").root(), "a second copy finds it all present");
    }

    @Test
    void aDamagedSourceBlobStopsTheCopyBeforeAnyManifestOrTag() throws IOException {
        OciLayout source = OciLayout.create(dir.resolve("source"));
        TestImages.Written image = TestImages.write(source, Platform.current(), List.of(
                TestImages.layer(TestImages.files("a", "1")), TestImages.layer(TestImages.files("b", "2"))));
        source.tag("broken", image.manifest());
        Path layer = source.root().resolve(image.layers().get(1).descriptor().digest().layoutPath());
        byte[] bytes = Files.readAllBytes(layer);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(layer, bytes);

        Store store = Store.open(dir.resolve("store"));
        StoreException failure = assertThrows(StoreException.class,
                () -> new ContentCopy(source, store, null, 4, null).copy("broken", "broken:1").root());
        assertTrue(failure.getMessage().contains("is corrupted"), failure.getMessage());
        assertFalse(store.hasBlob(image.manifest().digest()));
        assertFalse(store.hasBlob(image.layers().get(1).descriptor().digest()));
        assertEquals(Map.of(), store.tags());
    }
}

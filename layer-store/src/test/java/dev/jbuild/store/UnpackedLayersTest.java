package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.Image;
import dev.jbuild.oci.ImageConfig;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import dev.jbuild.oci.RootFs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnpackedLayersTest {
    @TempDir
    Path dir;

    private Image twoLayerImage(Store store) throws IOException {
        TestImages.Written written = TestImages.write(store, Platform.current(), List.of(
                TestImages.layer(TestImages.files("etc/hello.txt", "hello\n", "etc/keep", "kept\n")),
                TestImages.layer(TestImages.files("etc/.wh.hello.txt", "", "etc/new", "new\n"))));
        store.tag("layers:1", written.manifest());
        return store.image("layers:1");
    }

    @Test
    void eachLayerIsUnpackedIntoItsOwnChainIdDirectoryWithAMarker() throws IOException {
        Store store = Store.open(dir);
        Image image = twoLayerImage(store);
        List<Path> diffs = store.unpackedLayers(image);
        assertEquals(2, diffs.size());

        Digest bottom = image.layers().get(0).diffId();
        assertEquals(dir.resolve("layers").resolve(bottom.encoded()).resolve("diff"), diffs.get(0));
        assertEquals("hello\n", Files.readString(diffs.get(0).resolve("etc/hello.txt")));
        assertEquals("new\n", Files.readString(diffs.get(1).resolve("etc/new")));
        Path whiteout = diffs.get(1).resolve("etc/hello.txt");
        assertTrue(Files.exists(whiteout, LinkOption.NOFOLLOW_LINKS), "the whiteout stays an overlay whiteout");
        assertFalse(Files.isRegularFile(whiteout, LinkOption.NOFOLLOW_LINKS));
        assertEquals("chainid=" + bottom + "\ndiffid=" + bottom + "\n",
                Files.readString(diffs.get(0).getParent().resolve("complete")));

        assertEquals(diffs.get(1), store.unpackedLayer(image, 1));
        assertTrue(store.fsck().clean());
    }

    @Test
    void concurrentRequestsForOneLayerShareOneUnpack() throws Exception {
        Store store = Store.open(dir);
        Image image = twoLayerImage(store);
        List<Future<Path>> results = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                Callable<Path> unpack = () -> store.unpackedLayer(image, 0);
                results.add(executor.submit(unpack));
            }
        }
        for (Future<Path> result : results) {
            assertEquals(results.getFirst().get(), result.get());
        }
        try (Stream<Path> entries = Files.list(dir.resolve("layers"))) {
            assertEquals(1, entries.count(), "no temporary directories left");
        }
    }

    @Test
    void aLayerWhoseTarDoesNotMatchItsDiffIdIsNeverCached() throws IOException {
        Store store = Store.open(dir);
        TestImages.LayerBlob layer = TestImages.layer(TestImages.files("a", "1"));
        store.write(layer.descriptor(), new ByteArrayInputStream(layer.gzip()));
        Digest wrongDiffId = Digest.sha256("not the tar".getBytes(StandardCharsets.UTF_8));
        ImageConfig config = ImageConfig.empty(Platform.current());
        config = new ImageConfig(config.created(), config.author(), config.architecture(), config.os(),
                config.osVersion(), config.osFeatures(), config.variant(), config.config(),
                RootFs.of(List.of(wrongDiffId)), config.history(), config.unknownFields());
        Descriptor configDescriptor = store.writeBlob(MediaType.OCI_CONFIG, config.toJson());
        Descriptor manifest = store.writeBlob(MediaType.OCI_MANIFEST,
                Manifest.of(false, configDescriptor, List.of(layer.descriptor())).toJson());
        Image image = store.image(manifest.digest().toString());

        StoreException mismatch = assertThrows(StoreException.class, () -> store.unpackedLayer(image, 0));
        assertTrue(mismatch.getMessage().contains("but the image config says " + wrongDiffId), mismatch.getMessage());
        try (Stream<Path> entries = Files.list(dir.resolve("layers"))) {
            assertEquals(0, entries.count());
        }
        StoreException outOfRange = assertThrows(StoreException.class, () -> store.unpackedLayer(image, 1));
        assertTrue(outOfRange.getMessage().contains("no layer 1"), outOfRange.getMessage());
    }

    @Test
    void pruneRemovesUnpackedLayersOfImagesNoLongerTagged() throws IOException {
        Store store = Store.open(dir);
        Image image = twoLayerImage(store);
        store.unpackedLayers(image);
        assertEquals(0, store.prune(Duration.ZERO).layersRemoved());
        store.untag(Reference.parse("layers:1"));
        PruneReport report = store.prune(Duration.ZERO);
        assertEquals(2, report.layersRemoved());
        try (Stream<Path> entries = Files.list(dir.resolve("layers"))) {
            assertEquals(0, entries.count());
        }
    }
}

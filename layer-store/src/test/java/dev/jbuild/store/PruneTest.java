package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Platform;
import dev.jbuild.oci.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneTest {
    @TempDir
    Path dir;

    @Test
    void removesWhatNoTagReachesAndKeepsEverythingATagReaches() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written kept = TestImages.simple(store, "kept");
        TestImages.Written dropped = TestImages.simple(store, "dropped");
        store.tag("kept", kept.manifest());
        store.tag("dropped", dropped.manifest());
        store.untag(Reference.parse("dropped"));

        PruneReport report = store.prune(Duration.ZERO);
        assertEquals(3, report.blobsRemoved());
        assertEquals(dropped.manifest().size() + dropped.config().size()
                + dropped.layers().getFirst().descriptor().size(), report.bytesFreed());
        assertFalse(store.hasBlob(dropped.manifest().digest()));
        assertFalse(store.hasBlob(dropped.layers().getFirst().descriptor().digest()));
        assertTrue(store.hasBlob(kept.manifest().digest()));
        assertTrue(store.hasBlob(kept.config().digest()));
        assertTrue(store.hasBlob(kept.layers().getFirst().descriptor().digest()));
        assertTrue(store.fsck().clean());
        assertEquals(0, store.prune(Duration.ZERO).blobsRemoved());
    }

    @Test
    void followsIndexesToEveryPlatformAndKeepsSharedBlobs() throws IOException {
        Store store = Store.open(dir);
        TestImages.LayerBlob shared = TestImages.layer(TestImages.files("shared", "x"));
        TestImages.Written amd = TestImages.write(store, Platform.parse("linux/amd64"), List.of(shared));
        TestImages.Written arm = TestImages.write(store, Platform.parse("linux/arm64"), List.of(shared));
        Descriptor index = TestImages.index(store, Map.of(Platform.parse("linux/amd64"), amd.manifest(),
                Platform.parse("linux/arm64"), arm.manifest()));
        store.tag("multi", index);
        assertEquals(0, store.prune(Duration.ZERO).blobsRemoved());
        assertTrue(store.hasBlob(arm.config().digest()));
        assertTrue(store.hasBlob(shared.descriptor().digest()));
    }

    @Test
    void cacheRecordsKeepTheirImagesAlive() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written cached = TestImages.simple(store, "cached");
        store.putCacheRecord("step-key", cached.manifest());
        assertEquals(0, store.prune(Duration.ZERO).blobsRemoved());
        store.removeCacheRecord("step-key");
        assertEquals(3, store.prune(Duration.ZERO).blobsRemoved());
    }

    @Test
    void youngUnreferencedContentIsLeftForTheWriterThatIsAboutToTagIt() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written untagged = TestImages.simple(store, "pulling");
        assertEquals(0, store.prune(Duration.ofHours(1)).blobsRemoved());
        assertTrue(store.hasBlob(untagged.manifest().digest()));
    }

    @Test
    void removesLeftoversOfDeadWriters() throws IOException {
        Store store = Store.open(dir);
        Files.createDirectories(dir.resolve("ingest"));
        Files.write(dir.resolve("ingest/dead-writer"), new byte[] {1, 2});
        Files.write(dir.resolve(".tmp-index.json-dead"), new byte[] {3});
        Files.createDirectories(dir.resolve("layers/.tmp-" + "c".repeat(64) + "-dead/diff/usr"));
        PruneReport report = store.prune(Duration.ZERO);
        assertEquals(3, report.leftoversRemoved());
        assertFalse(Files.exists(dir.resolve("ingest/dead-writer")));
        assertFalse(Files.exists(dir.resolve(".tmp-index.json-dead")));
        assertFalse(Files.exists(dir.resolve("layers/.tmp-" + "c".repeat(64) + "-dead")));
    }

    @Test
    void aLiveIngestIsNotALeftover() throws IOException {
        Store store = Store.open(dir);
        try (BlobWriter writer = store.newBlob()) {
            writer.write(new byte[] {1});
            assertEquals(0, store.prune(Duration.ZERO).leftoversRemoved());
            writer.commit("application/octet-stream");
        }
    }

    @Test
    void refusesToPruneWhenAReachableDocumentIsUnreadable() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written image = TestImages.simple(store, "hi");
        store.tag("app", image.manifest());
        Path manifest = dir.resolve(image.manifest().digest().layoutPath());
        byte[] bytes = Files.readAllBytes(manifest);
        bytes[3] ^= 1;
        Files.write(manifest, bytes);
        StoreException refused = assertThrows(StoreException.class, () -> store.prune(Duration.ZERO));
        assertTrue(refused.getMessage().contains("refusing to prune"), refused.getMessage());
        assertTrue(store.hasBlob(image.layers().getFirst().descriptor().digest()));
    }

    @Test
    void removesScratchOfBuildsThatDiedAndKeepsThatOfRunningOnes() throws IOException {
        Store store = Store.open(dir);
        // what a killed build leaves: its directory and its lock file, with no process holding the lock
        Path dead = Files.createDirectories(dir.resolve("builds/build-0123456789abcdef/run-1/upper"));
        Files.writeString(dead.resolve("file"), "left behind");
        Files.writeString(dir.resolve("locks/scratch-build-0123456789abcdef.lock"), "");
        try (BuildScratch running = store.newBuildScratch()) {
            Files.writeString(Files.createDirectories(running.path().resolve("run-1")).resolve("file"), "in use");

            assertEquals(0, store.prune().leftoversRemoved(), "a leftover younger than the grace period stays");
            assertTrue(Files.exists(dead));
            assertEquals(1, store.prune(Duration.ZERO).leftoversRemoved());
            assertFalse(Files.exists(dir.resolve("builds/build-0123456789abcdef")));
            assertFalse(Files.exists(dir.resolve("locks/scratch-build-0123456789abcdef.lock")));
            assertEquals("in use", Files.readString(running.path().resolve("run-1/file")),
                    "a running build's scratch is never removed");
        }
        try (var left = Files.list(dir.resolve("builds"))) {
            assertEquals(List.of(), left.toList(), "closing a scratch directory deletes it");
        }
    }
}

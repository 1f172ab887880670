package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.store.FsckReport.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsckTest {
    @TempDir
    Path dir;

    @Test
    void aHealthyStoreIsClean() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written image = TestImages.simple(store, "hi");
        store.tag("app", image.manifest());
        FsckReport report = store.fsck();
        assertTrue(report.clean(), report.damage().toString());
        assertEquals(3, report.blobsChecked());
        assertEquals(image.manifest().size() + image.config().size() + image.layers().getFirst().descriptor().size(),
                report.bytesChecked());
    }

    @Test
    void aTruncatedBlobIsReportedAndNeverServedAgain() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written image = TestImages.simple(store, "hi");
        store.tag("app", image.manifest());
        Descriptor layer = image.layers().getFirst().descriptor();
        Path file = dir.resolve(layer.digest().layoutPath());
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 10));

        FsckReport report = store.fsck();
        assertFalse(report.clean());
        assertEquals(List.of(Kind.TRUNCATED_BLOB), report.damage().stream().map(FsckReport.Damage::kind).toList());
        assertEquals(layer.digest().toString(), report.damage().getFirst().subject());
        assertTrue(report.damage().getFirst().detail().contains("10 bytes on disk (expected " + layer.size() + ")"),
                report.damage().getFirst().detail());

        assertFalse(store.hasBlob(layer.digest()));
        StoreException gone = assertThrows(StoreException.class, () -> store.open(layer));
        assertTrue(gone.getMessage().contains("not found"), gone.getMessage());
        assertTrue(Files.exists(dir.resolve("quarantine/sha256-" + layer.digest().encoded())));

        FsckReport again = store.fsck();
        assertEquals(List.of(Kind.MISSING_BLOB), again.damage().stream().map(FsckReport.Damage::kind).toList());
        assertTrue(again.damage().getFirst().detail().contains("needed by tag docker.io/library/app:latest"),
                again.damage().getFirst().detail());
    }

    @Test
    void aCorruptedManifestIsReportedOnceAndItsTagShowsAsBroken() throws IOException {
        Store store = Store.open(dir);
        TestImages.Written image = TestImages.simple(store, "hi");
        store.tag("app", image.manifest());
        Path file = dir.resolve(image.manifest().digest().layoutPath());
        byte[] bytes = Files.readAllBytes(file);
        bytes[5] ^= 1;
        Files.write(file, bytes);

        FsckReport report = store.fsck();
        assertEquals(List.of(Kind.CORRUPT_BLOB), report.damage().stream().map(FsckReport.Damage::kind).toList());
        assertThrows(StoreException.class, () -> store.image("app").rawManifest());
        assertEquals(List.of(Kind.MISSING_BLOB),
                store.fsck().damage().stream().map(FsckReport.Damage::kind).toList());
    }

    @Test
    void aLayerDirectoryWithoutMarkerIsReportedAndRemoved() throws IOException {
        Store store = Store.open(dir);
        Path bogus = dir.resolve("layers").resolve("a".repeat(64));
        Files.createDirectories(bogus.resolve("diff"));
        Files.createDirectories(dir.resolve("layers/.tmp-" + "b".repeat(64) + "-x/diff"));

        FsckReport report = store.fsck();
        assertEquals(List.of(Kind.BAD_LAYER), report.damage().stream().map(FsckReport.Damage::kind).toList());
        assertTrue(report.damage().getFirst().detail().contains("no valid completion marker"),
                report.damage().getFirst().detail());
        assertFalse(Files.exists(bogus));
        assertTrue(store.fsck().clean(), "a leftover temporary unpack is not damage");
    }

    @Test
    void anUnparsableIndexIsReported() throws IOException {
        Store store = Store.open(dir);
        Files.writeString(dir.resolve("index.json"), "{not json");
        FsckReport report = store.fsck();
        assertEquals(List.of(Kind.BAD_INDEX), report.damage().stream().map(FsckReport.Damage::kind).toList());
    }
}

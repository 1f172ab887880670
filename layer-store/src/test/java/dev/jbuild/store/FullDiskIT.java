package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Reference;
import dev.jbuild.store.testing.SmallFilesystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A store on a real filesystem that fills up (a 2 MiB tmpfs): writes fail clearly and nothing is lost or half-published. */
class FullDiskIT {
    @RegisterExtension
    final SmallFilesystem small = new SmallFilesystem("2m");

    @Test
    void aBlobThatDoesNotFitFailsNamingTheCauseAndLeavesTheStoreAsItWas() throws IOException {
        Store store = Store.open(small.root().resolve("store"));
        TestImages.Written kept = TestImages.simple(store, "kept");
        store.tag("kept:1", kept.manifest());
        byte[] tooBig = new byte[4 << 20];
        new Random(7).nextBytes(tooBig);

        IOException full = assertThrows(IOException.class,
                () -> store.writeBlob(MediaType.OCI_LAYER_TAR, new ByteArrayInputStream(tooBig)));

        assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), String.valueOf(full));
        assertFalse(store.hasBlob(Digest.sha256(tooBig)));
        try (Stream<Path> ingests = Files.list(small.root().resolve("store/ingest"))) {
            assertEquals(0, ingests.count(), "the partial write is removed, so the space comes back");
        }
        assertTrue(store.fsck().clean());
        assertEquals(kept.manifest(), store.resolve("kept:1"));
        byte[] fits = "still room for this".getBytes();
        assertEquals(Digest.sha256(fits), store.writeBlob(MediaType.OCI_LAYER_TAR, new ByteArrayInputStream(fits)).digest());
    }

    @Test
    void aTagThatCannotBeWrittenLeavesTheOldIndexInPlace() throws IOException {
        Store store = Store.open(small.root().resolve("store"));
        TestImages.Written kept = TestImages.simple(store, "kept");
        store.tag("kept:1", kept.manifest());
        byte[] indexBefore = Files.readAllBytes(small.root().resolve("store/index.json"));
        Path filler = small.root().resolve("filler");
        fill(filler);

        assertThrows(IOException.class, () -> store.tag("another:1", kept.manifest()));

        assertArrayEquals(indexBefore, Files.readAllBytes(small.root().resolve("store/index.json")));
        assertEquals(kept.manifest(), store.resolve("kept:1"));
        Files.delete(filler);
        store.tag("another:1", kept.manifest());
        assertEquals(kept.manifest(), store.tags().get(Reference.parse("another:1")));
        assertTrue(store.fsck().clean());
    }

    /** Writes zeros to {@code file} until the filesystem has no room left. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException expected) {
            assertTrue(String.valueOf(expected.getMessage()).contains("No space left on device"), String.valueOf(expected));
        }
    }
}

package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.DigestMismatchException;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveTest {
    @TempDir
    Path dir;

    @Test
    void writtenArchiveReadsBackWithTheSameBlobs() throws IOException {
        TinyImage image = TinyImage.create();
        Path tarball = dir.resolve("image.tar");
        try (DockerArchiveSink sink = DockerArchiveSink.create(tarball)) {
            image.copyTo(sink, "example.com/team/app:1.0");
            sink.tag("app:latest", image.manifest());
        }
        try (DockerArchiveSource source = DockerArchiveSource.open(tarball)) {
            assertEquals(List.of("example.com/team/app:1.0", "app:latest"), source.tags());
            Descriptor resolved = source.resolve("example.com/team/app:1.0");
            assertEquals(resolved, source.resolve("docker.io/library/app:latest"));
            assertEquals(resolved, source.resolve("@0"));
            assertEquals(resolved, source.resolve(""));
            Manifest original = Manifest.parse(image.blobs().get(image.manifest().digest()));
            Manifest synthesized = Manifest.parse(source.readAll(resolved));
            assertEquals(original.config().digest(), synthesized.config().digest());
            assertEquals(original.layers().stream().map(Descriptor::digest).toList(),
                    synthesized.layers().stream().map(Descriptor::digest).toList());
            assertEquals(MediaType.OCI_LAYER_GZIP, synthesized.layers().get(0).mediaType());
            assertEquals(MediaType.OCI_LAYER_TAR, synthesized.layers().get(1).mediaType());
            for (Descriptor layer : synthesized.layers()) {
                assertArrayEquals(image.blobs().get(layer.digest()), source.readAll(layer));
            }
            var missing = assertThrows(IOException.class, () -> source.resolve("other:1"));
            assertTrue(missing.getMessage().contains("app:latest"), missing.getMessage());
        }
    }

    @Test
    void aCopyReadingSeveralBlobsAtOnceGetsEachOnesBytes() throws IOException {
        TinyImage image = TinyImage.withLayers(6, 1 << 20);
        Path tarball = dir.resolve("image.tar");
        try (DockerArchiveSink sink = DockerArchiveSink.create(tarball)) {
            image.copyTo(sink, "app:1");
        }
        try (DockerArchiveSource source = DockerArchiveSource.open(tarball)) {
            for (int round = 0; round < 5; round++) {
                Store store = Store.open(dir.resolve("store-" + round));
                new dev.jbuild.oci.ContentCopy(source, store, null, 8, dev.jbuild.oci.ContentCopy.Listener.NONE)
                        .copy("app:1", "app:1");
                assertTrue(store.fsck().clean(), "round " + round);
            }
        }
    }

    @Test
    void badBlobLeavesNoArchive() throws IOException {
        TinyImage image = TinyImage.create();
        Path tarball = dir.resolve("broken.tar");
        Manifest manifest = Manifest.parse(image.blobs().get(image.manifest().digest()));
        Descriptor layer = manifest.layers().getFirst();
        DockerArchiveSink sink = DockerArchiveSink.create(tarball);
        byte[] wrong = new byte[(int) layer.size()];
        assertThrows(DigestMismatchException.class, () -> sink.write(layer, new ByteArrayInputStream(wrong)));
        sink.close();
        assertFalse(Files.exists(tarball));
        try (var listing = Files.list(dir)) {
            assertEquals(0, listing.count());
        }
    }

    @Test
    void refusesIndexesAndUntaggedArchives() throws IOException {
        TinyImage image = TinyImage.create();
        Path tarball = dir.resolve("x.tar");
        DockerArchiveSink sink = DockerArchiveSink.create(tarball);
        Descriptor index = new Descriptor(MediaType.OCI_INDEX, image.manifest().digest(), image.manifest().size());
        assertThrows(IOException.class, () -> sink.tag("x:1", index));
        var untagged = assertThrows(IOException.class, sink::close);
        assertTrue(untagged.getMessage().contains("nothing was tagged"), untagged.getMessage());
        assertFalse(Files.exists(tarball));
    }

    @Test
    void rejectsTarballsWithoutManifestJson() throws IOException {
        Path tarball = dir.resolve("plain.tar");
        Files.write(tarball, TinyImage.tar(java.util.Map.of("a", "b")));
        var error = assertThrows(IOException.class, () -> DockerArchiveSource.open(tarball));
        assertTrue(error.getMessage().contains("no manifest.json"), error.getMessage());
    }
}

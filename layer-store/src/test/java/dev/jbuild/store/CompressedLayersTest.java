package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.DockerFormat;
import dev.jbuild.oci.Index;
import dev.jbuild.oci.Manifest;
import dev.jbuild.oci.MediaType;
import dev.jbuild.oci.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressedLayersTest {
    @TempDir
    Path dir;

    private Store store;
    private TinyImage image;

    /** A store holding a two-layer image whose second layer is uncompressed, as a build writes it. */
    @BeforeEach
    void storeWithAnUncompressedLayer() throws IOException {
        store = Store.open(dir);
        image = TinyImage.create();
        image.copyTo(store, "tiny");
    }

    @Test
    void gzipsOnlyTheUncompressedLayersAndKeepsTheConfig() throws IOException {
        Manifest before = manifest(store, image.manifest());

        Descriptor exported = store.withCompressedLayers(image.manifest());

        Manifest after = manifest(store, exported);
        assertNotEquals(image.manifest().digest(), exported.digest());
        assertEquals(MediaType.OCI_MANIFEST, exported.mediaType());
        assertEquals(before.config(), after.config());
        assertEquals(before.layers().getFirst(), after.layers().getFirst(), "an already compressed layer stays as it is");
        Descriptor gzipped = after.layers().get(1);
        assertEquals(MediaType.OCI_LAYER_GZIP, gzipped.mediaType());
        try (InputStream original = store.open(before.layers().get(1));
             InputStream unpacked = new GZIPInputStream(store.open(gzipped))) {
            assertArrayEquals(original.readAllBytes(), unpacked.readAllBytes());
        }
        assertTrue(store.fsck().clean());
    }

    @Test
    void compressesEachLayerOnceAndAgainOnlyWhenTheBlobIsGone() throws IOException {
        Descriptor first = store.withCompressedLayers(image.manifest());
        Descriptor gzipped = manifest(store, first).layers().get(1);
        Path blob = dir.resolve(gzipped.digest().layoutPath());
        Object inode = Files.readAttributes(blob, BasicFileAttributes.class).fileKey();

        assertEquals(first, store.withCompressedLayers(image.manifest()));
        assertEquals(inode, Files.readAttributes(blob, BasicFileAttributes.class).fileKey(),
                "the remembered blob is reused, not written again");

        Files.delete(blob);
        Files.write(blob, new byte[0]);
        assertEquals(first, store.withCompressedLayers(image.manifest()), "compressed again, to the same bytes");
        assertTrue(store.contains(gzipped), "a damaged blob is replaced, not taken for the remembered one");
        Files.delete(blob);
        assertEquals(first, store.withCompressedLayers(image.manifest()));
        assertTrue(store.contains(gzipped));
        try (Stream<Path> records = Files.list(dir.resolve("compressed"))) {
            assertEquals(1, records.count());
        }
        assertTrue(store.fsck().clean());
    }

    @Test
    void aDamagedRecordIsCompressedAgainAndReplaced() throws IOException {
        Descriptor first = store.withCompressedLayers(image.manifest());
        Path record;
        try (Stream<Path> records = Files.list(dir.resolve("compressed"))) {
            record = records.findFirst().orElseThrow();
        }
        Files.writeString(record, "{not json");

        assertEquals(first, store.withCompressedLayers(image.manifest()));
        assertTrue(Files.readString(record).contains(manifest(store, first).layers().get(1).digest().toString()));
    }

    @Test
    void aManifestWithoutUncompressedLayersIsItsOwnExport() throws IOException {
        TestImages.Written written = TestImages.simple(store, "gz");
        assertSame(written.manifest(), store.withCompressedLayers(written.manifest()));
    }

    @Test
    void anIndexPointsAtTheCompressedManifestsWithTheirPlatforms() throws IOException {
        Platform platform = Platform.parse("linux/amd64");
        Descriptor index = TestImages.index(store, Map.of(platform, image.manifest()));

        Descriptor exported = store.withCompressedLayers(index);

        Descriptor entry;
        try (InputStream in = store.open(exported)) {
            entry = Index.parse(in.readAllBytes()).manifests().getFirst();
        }
        assertEquals(store.withCompressedLayers(image.manifest()).digest(), entry.digest());
        assertEquals(platform, entry.platform());
    }

    @Test
    void aDockerManifestGetsDockerGzipLayers() throws IOException {
        Descriptor docker;
        try (InputStream in = store.open(image.manifest())) {
            docker = store.writeBlob(MediaType.DOCKER_MANIFEST, DockerFormat.manifest(in.readAllBytes()).bytes());
        }

        Descriptor exported = store.withCompressedLayers(docker);

        assertEquals(MediaType.DOCKER_MANIFEST, exported.mediaType());
        assertEquals(List.of(MediaType.DOCKER_LAYER_GZIP, MediaType.DOCKER_LAYER_GZIP),
                manifest(store, exported).layers().stream().map(Descriptor::mediaType).toList());
    }

    @Test
    void pruneDropsAnExportNoTagReachesAndItsRecord() throws IOException {
        Descriptor exported = store.withCompressedLayers(image.manifest());
        Descriptor gzipped = manifest(store, exported).layers().get(1);

        PruneReport report = store.prune(Duration.ZERO);

        assertEquals(2, report.blobsRemoved(), "the exported manifest and its gzip layer");
        assertFalse(store.hasBlob(gzipped.digest()));
        try (Stream<Path> records = Files.list(dir.resolve("compressed"))) {
            assertEquals(0, records.count());
        }
        assertEquals(exported, store.withCompressedLayers(image.manifest()));
        assertTrue(store.fsck().clean());
    }

    private static Manifest manifest(Store store, Descriptor descriptor) throws IOException {
        try (InputStream in = store.open(descriptor)) {
            return Manifest.parse(in.readAllBytes());
        }
    }
}

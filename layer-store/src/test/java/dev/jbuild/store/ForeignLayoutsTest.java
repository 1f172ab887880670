package dev.jbuild.store;

import dev.jbuild.oci.ContentCopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Image;
import dev.jbuild.oci.MediaType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layouts that umoci and skopeo wrote (checked in under testdata/oci) import into the store and unpack. */
class ForeignLayoutsTest {
    private static final Path FIXTURES = Path.of(System.getProperty("jbuild.testdata", "../testdata"), "oci");

    @TempDir
    Path dir;

    @Test
    void anOciImageUmociWroteImportsAndUnpacks() throws IOException {
        OciLayout umoci = OciLayout.open(FIXTURES.resolve("umoci"));
        assertEquals(List.of("docker.io/library/fixture:1"), List.copyOf(umoci.tags().keySet()));
        Store store = Store.open(dir);
        new ContentCopy(umoci, store, null, 4, null).copy("docker.io/library/fixture:1", "fixture:1").root();

        Image image = store.image("fixture:1");
        assertEquals(MediaType.OCI_MANIFEST, image.descriptor().mediaType());
        assertEquals(List.of("/bin/sh"), image.config().config().cmd());
        Path diff = store.unpackedLayers(image).getFirst();
        assertEquals("written by umoci\n", Files.readString(diff.resolve("etc/fixture.txt")));
        assertEquals(Path.of("fixture.txt"), Files.readSymbolicLink(diff.resolve("etc/link")));
        assertTrue(store.fsck().clean());
    }

    @Test
    void aDockerSchema2ImageSkopeoWroteIntoAnOciLayoutImportsAndUnpacks() throws IOException {
        OciLayout skopeo = OciLayout.open(FIXTURES.resolve("skopeo-docker-v2s2"));
        Store store = Store.open(dir);
        new ContentCopy(skopeo, store, null, 4, null).copy("fixture", "docker-fixture").root();

        Image image = store.image("docker-fixture");
        assertEquals(MediaType.DOCKER_MANIFEST, image.descriptor().mediaType());
        assertEquals(MediaType.DOCKER_LAYER_GZIP, image.layers().getFirst().mediaType());
        Path diff = store.unpackedLayer(image, 0);
        assertEquals("written by umoci\n", Files.readString(diff.resolve("etc/fixture.txt")));
        assertTrue(store.fsck().clean());
    }
}

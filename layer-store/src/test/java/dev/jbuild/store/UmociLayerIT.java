package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jbuild.oci.Image;
import dev.jbuild.oci.Layer;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers the real umoci writes, which end right after the last file's data, apply like any other. */
class UmociLayerIT {
    @TempDir
    Path dir;

    @Test
    void appliesALayerUmociInsertWroteWithoutPaddingOrEndBlocks() throws Exception {
        String umoci = Processes.require("umoci");
        Path layout = dir.resolve("layout");
        Path file = dir.resolve("motd");
        Files.writeString(file, "written by umoci\n");
        Processes.runOk(umoci, "init", "--layout", layout.toString());
        Processes.runOk(umoci, "new", "--image", layout + ":t");
        Processes.runOk(umoci, "insert", "--image", layout + ":t", file.toString(), "/etc/motd");

        Image image = OciLayout.open(layout).image("t");
        Layer layer = image.layers().getLast();
        long tarLength;
        try (InputStream in = new GZIPInputStream(layer.compressed())) {
            tarLength = in.transferTo(OutputStream.nullOutputStream());
        }
        assertNotEquals(0, tarLength % 512, "umoci " + tarLength + "-byte layer has no padding (the case under test)");

        Path root = Files.createDirectory(dir.resolve("root"));
        ApplyResult result;
        try (InputStream blob = layer.compressed()) {
            result = LayerApplier.apply(blob, root, ApplyMode.FLATTEN);
        }
        assertEquals("written by umoci\n", Files.readString(root.resolve("etc/motd")));
        assertEquals(layer.diffId(), result.diffId());
        assertEquals(tarLength, result.uncompressedSize());
        assertEquals(List.of(), result.warnings());
    }
}

package dev.jbuild.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.oci.Descriptor;
import dev.jbuild.oci.Digest;
import dev.jbuild.oci.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final Descriptor LAYER = new Descriptor(MediaType.OCI_LAYER_GZIP,
            Digest.sha256("layer".getBytes(StandardCharsets.UTF_8)), 2_500_000);
    private static final Descriptor CONFIG = new Descriptor(MediaType.OCI_CONFIG,
            Digest.sha256("config".getBytes(StandardCharsets.UTF_8)), 300);

    private static String render(Progress.Mode mode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Progress progress = new Progress(mode, "pull x", new PrintStream(out, true, StandardCharsets.UTF_8))) {
            progress.planned(List.of(LAYER, CONFIG), List.of());
            progress.skipped(CONFIG);
            progress.started(LAYER);
            progress.progressed(LAYER, 2_000_000);
            progress.progressed(LAYER, 500_000);
            progress.finished(LAYER);
            assertEquals(2_500_000, progress.bytesMoved());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainModePrintsOneLinePerEvent() {
        String[] lines = render(Progress.Mode.PLAIN).split("\n");
        assertEquals("pull x: 2 blobs (2.5 MB), 0 manifests", lines[0]);
        assertEquals("config " + CONFIG.digest().shortHex() + " already present", lines[1]);
        assertEquals("blob " + LAYER.digest().shortHex() + " 2.5 MB started", lines[2]);
        assertEquals(true, lines[3].startsWith("blob " + LAYER.digest().shortHex() + " done (2.5 MB in "));
    }

    @Test
    void jsonModePrintsOneObjectPerEvent() {
        String[] lines = render(Progress.Mode.JSON).split("\n");
        assertEquals("{\"event\":\"planned\",\"blobs\":2,\"bytes\":2500300,\"manifests\":0}", lines[0]);
        assertEquals("{\"event\":\"done\",\"kind\":\"blob\",\"digest\":\"" + LAYER.digest()
                + "\",\"size\":2500000,\"bytes\":2500000}", lines[3]);
    }

    @Test
    void sizesAreShownInDecimalUnits() {
        assertEquals("999 B", Progress.human(999));
        assertEquals("1.5 kB", Progress.human(1_500));
        assertEquals("125.9 MB", Progress.human(125_852_819));
    }
}

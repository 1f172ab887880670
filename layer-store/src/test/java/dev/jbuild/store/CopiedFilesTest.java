package dev.jbuild.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbuild.oci.Digest;
import dev.jbuild.store.internal.ChainIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of what a build step copied from the host into an unpacked layer, read back as the next build does. */
class CopiedFilesTest {
    /** A time by which files the test writes count as settled. */
    private static final FileTime SETTLED = FileTime.from(Instant.now().plus(Duration.ofMinutes(1)));

    @TempDir
    Path dir;

    private Store store;
    private Path source;
    private Path layer;
    private List<Digest> stack;

    @BeforeEach
    void aLayerCopiedFromASource() throws IOException {
        store = Store.open(dir.resolve("store"));
        source = Files.writeString(Files.createDirectories(dir.resolve("context")).resolve("a.txt"), "one\n");
        Path staging = Files.createDirectories(dir.resolve("store/staging/app"));
        Files.copy(source, staging.resolve("a.txt"));
        stack = List.of(Digest.sha256("the layer".getBytes(StandardCharsets.UTF_8)));
        layer = store.adoptUnpackedLayer(stack, staging.getParent());
    }

    private void remember(FileTime settledBefore) throws IOException {
        CopiedFiles.write(store.copiedFilesRecord("step"), ChainIds.of(stack).getLast(),
                Map.of("app/a.txt", FileDigests.Identity.of(source)), settledBefore);
    }

    @Test
    void anUnchangedSourceGivesTheLayersFileAndAChangedOneNothing() throws IOException {
        remember(SETTLED);
        CopiedFiles copied = store.copiedFiles("step").orElseThrow();
        assertEquals(Optional.of(layer.resolve("app/a.txt")), copied.unchanged("app/a.txt", FileDigests.Identity.of(source)));
        assertEquals(Optional.empty(), copied.unchanged("app/b.txt", FileDigests.Identity.of(source)), "never copied");

        Files.writeString(source, "two\n");
        assertEquals(Optional.empty(), copied.unchanged("app/a.txt", FileDigests.Identity.of(source)));
    }

    @Test
    void aSourceThatChangedTooRecentlyIsNotRemembered() throws IOException {
        store.rememberCopiedFiles("step", stack, Map.of("app/a.txt", FileDigests.Identity.of(source)));
        CopiedFiles copied = store.copiedFiles("step").orElseThrow();
        assertEquals(Optional.empty(), copied.unchanged("app/a.txt", FileDigests.Identity.of(source)),
                "written just now: a change within the same timestamp tick would go unseen");
    }

    @Test
    void aRecordWhoseLayerIsGoneIsNothingAndPruneRemovesIt() throws IOException {
        remember(SETTLED);
        Files.writeString(store.copiedFilesRecord("torn"), "jbuild");
        assertEquals(Optional.empty(), store.copiedFiles("torn"));
        assertEquals(Optional.empty(), store.copiedFiles("never"));

        store.prune(Duration.ZERO);
        assertEquals(Optional.empty(), store.copiedFiles("step"), "no image uses the layer, so prune removed it");
        try (var records = Files.list(store.root().resolve("copied-files"))) {
            assertEquals(0, records.count(), "and the records that named it or could not be read");
        }
        assertTrue(Files.isDirectory(store.root()));
    }
}

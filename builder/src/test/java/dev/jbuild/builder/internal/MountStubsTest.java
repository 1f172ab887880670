package dev.jbuild.builder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbuild.store.LayerChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountStubsTest {
    @TempDir
    Path lower;

    @TempDir
    Path upper;

    @Test
    void mountPointsAndTheDirectoriesMadeOnlyForThemAreDropped() throws IOException {
        Files.createDirectories(lower.resolve("run"));
        Files.createDirectories(lower.resolve("proc"));
        List<LayerChange> changes = List.of(
                new LayerChange.Put("run", upper), new LayerChange.Put("run/secrets", upper),
                new LayerChange.Put("run/secrets/token", upper), new LayerChange.Put("proc", upper),
                new LayerChange.Put("sys", upper), new LayerChange.Put("new", upper),
                new LayerChange.Put("new/cache", upper), new LayerChange.Put("new/kept.txt", upper),
                new LayerChange.Put("app.txt", upper));
        LayeredTree below = new LayeredTree(List.of(lower));
        List<LayerChange> kept = MountStubs.remove(changes, List.of("/run/secrets/token", "/proc", "/sys", "/new/cache"),
                path -> below.find(path).isPresent());
        assertEquals(List.of("run", "new", "new/kept.txt", "app.txt"), kept.stream().map(LayerChange::path).toList());
    }
}
